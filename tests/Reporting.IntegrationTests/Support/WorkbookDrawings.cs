using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Reporting.IntegrationTests.Support;

/// <summary>A picture's anchor as the file holds it: top-left cell (1-based), size in pixels.</summary>
public sealed record AnchoredPicture(string Name, int Row, int Column, long WidthPx, long HeightPx, int PngWidth,
    int PngHeight);

/// <summary>
/// Reads a workbook's pictures with the Open XML SDK, and strips them for ClosedXML: ClosedXML 0.95.4 loads
/// pictures through System.Drawing (libgdiplus), which neither the app nor its tests may load.
/// </summary>
public static class WorkbookDrawings
{
    public static IReadOnlyList<AnchoredPicture> Pictures(byte[] xlsx, string sheetName)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), isEditable: false);
        var sheet = doc.WorkbookPart!.Workbook.Descendants<Sheet>().Single(s => s.Name?.Value == sheetName);
        var drawings = ((WorksheetPart)doc.WorkbookPart.GetPartById(sheet.Id!.Value!)).DrawingsPart;
        if (drawings is null) return [];
        return drawings.WorksheetDrawing.Elements<Xdr.OneCellAnchor>().Select(a =>
        {
            var picture = a.GetFirstChild<Xdr.Picture>()!;
            var blip = picture.BlipFill!.Blip!.Embed!.Value!;
            using var png = drawings.GetPartById(blip).GetStream();
            using var bytes = new MemoryStream();
            png.CopyTo(bytes);
            var (w, h) = Reporting.Reports.WorkbookPictures.PngSize(bytes.ToArray());
            return new AnchoredPicture(picture.NonVisualPictureProperties!.NonVisualDrawingProperties!.Name!.Value!,
                int.Parse(a.FromMarker!.RowId!.Text) + 1, int.Parse(a.FromMarker.ColumnId!.Text) + 1,
                a.Extent!.Cx!.Value / 9525, a.Extent.Cy!.Value / 9525, w, h);
        }).ToList();
    }

    /// <summary>
    /// Schema errors (Open XML validator) in the drawing parts and in the sheets' drawing references.
    /// </summary>
    public static IReadOnlyList<string> DrawingErrors(byte[] xlsx)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), isEditable: false);
        return new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc)
            .Where(e => e.Part?.Uri.ToString().Contains("drawing", StringComparison.OrdinalIgnoreCase) == true
                        || e.Node is Drawing
                            || e.Path?.XPath?.Contains("drawing", StringComparison.OrdinalIgnoreCase) == true)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
    }

    /// <summary>The workbook without its drawings, for reading cells with ClosedXML.</summary>
    public static MemoryStream WithoutPictures(byte[] xlsx)
    {
        var ms = new MemoryStream();
        ms.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(ms, isEditable: true))
            foreach (var part in doc.WorkbookPart!.WorksheetParts)
                if (part.DrawingsPart is { } drawings)
                {
                    foreach (var d in part.Worksheet.Elements<Drawing>().ToList()) d.Remove();
                    part.Worksheet.Save();
                    part.DeletePart(drawings);
                }
        ms.Position = 0;
        return ms;
    }
}
