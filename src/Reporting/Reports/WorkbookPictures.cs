using System.Buffers.Binary;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using A = DocumentFormat.OpenXml.Drawing;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Reporting.Reports;

/// <summary>
/// A PNG to place on a sheet: its top-left cell (1-based), how far right of that cell's left edge it starts, and its
/// size on the sheet in pixels.
/// </summary>
public sealed record SheetPicture(string Name, byte[] Png, int Row, int Column, int WidthPx, int HeightPx,
    int OffsetXPx = 0);

/// <summary>
/// Puts PNG pictures into a saved workbook with the Open XML SDK: drawing part, image part and a one-cell anchor
/// (moves with its cell, keeps its size). ClosedXML 0.95.4's own pictures go through System.Drawing and so need
/// libgdiplus, which users' machines lack; this needs no native library.
/// </summary>
public static class WorkbookPictures
{
    const long EmuPerPixel = 9525;   // 914,400 EMU per inch at 96 px per inch

    /// <summary>A PNG's width and height in pixels, from its IHDR chunk (bytes 16-23, big-endian).</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature)
            || !png.AsSpan(12, 4).SequenceEqual("IHDR"u8))
            throw new ArgumentException("not a PNG image", nameof(png));
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4)),
                (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4)));
    }

    /// <summary>The workbook with the pictures added to the named sheet.</summary>
    public static byte[] Add(byte[] xlsx, string sheetName, IReadOnlyList<SheetPicture> pictures)
    {
        if (pictures.Count == 0) return xlsx;
        using var ms = new MemoryStream();
        ms.Write(xlsx);
        using (var doc = SpreadsheetDocument.Open(ms, isEditable: true))
        {
            var workbook = doc.WorkbookPart ?? throw new InvalidOperationException("workbook part missing");
            var sheet = workbook.Workbook.Descendants<Sheet>().FirstOrDefault(s => s.Name?.Value == sheetName)
                ?? throw new InvalidOperationException($"no sheet '{sheetName}'");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var drawings = Drawings(part);
            var nextId = drawings.WorksheetDrawing.Descendants<Xdr.NonVisualDrawingProperties>()
                .Select(p => p.Id?.Value ?? 0).DefaultIfEmpty(1u).Max() + 1;
            foreach (var picture in pictures)
            {
                var image = drawings.AddImagePart(ImagePartType.Png);
                using (var data = new MemoryStream(picture.Png)) image.FeedData(data);
                drawings.WorksheetDrawing.AppendChild(Anchor(picture, drawings.GetIdOfPart(image), nextId++));
            }
            drawings.WorksheetDrawing.Save();
            part.Worksheet.Save();
        }
        return ms.ToArray();
    }

    static DrawingsPart Drawings(WorksheetPart part)
    {
        if (part.DrawingsPart is { } existing) return existing;
        var drawings = part.AddNewPart<DrawingsPart>();
        drawings.WorksheetDrawing = new Xdr.WorksheetDrawing();
        drawings.WorksheetDrawing.AddNamespaceDeclaration("xdr",
            "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing");
        drawings.WorksheetDrawing.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        // The schema orders a worksheet's children: <drawing> comes before these.
        var ws = part.Worksheet;
        var drawing = new Drawing { Id = part.GetIdOfPart(drawings) };
        var after = ws.ChildElements.FirstOrDefault(e => e is LegacyDrawing or LegacyDrawingHeaderFooter
            or DrawingHeaderFooter or Picture or OleObjects or Controls or WebPublishItems or TableParts
            or WorksheetExtensionList);
        if (after is null) ws.AppendChild(drawing); else ws.InsertBefore(drawing, after);
        return drawings;
    }

    static Xdr.OneCellAnchor Anchor(SheetPicture p, string relationshipId, uint id)
    {
        long cx = p.WidthPx * EmuPerPixel, cy = p.HeightPx * EmuPerPixel;
        return new Xdr.OneCellAnchor(
            new Xdr.FromMarker(
                new Xdr.ColumnId((p.Column - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Xdr.ColumnOffset((p.OffsetXPx * EmuPerPixel).ToString(
                    System.Globalization.CultureInfo.InvariantCulture)),
                new Xdr.RowId((p.Row - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Xdr.RowOffset("0")),
            new Xdr.Extent { Cx = cx, Cy = cy },
            new Xdr.Picture(
                new Xdr.NonVisualPictureProperties(
                    new Xdr.NonVisualDrawingProperties { Id = id, Name = p.Name },
                    new Xdr.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true })),
                new Xdr.BlipFill(new A.Blip { Embed = relationshipId }, new A.Stretch(new A.FillRectangle())),
                new Xdr.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })),
            new Xdr.ClientData());
    }
}
