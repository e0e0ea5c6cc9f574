using ClosedXML.Excel;
using Reporting.Tests.Ingestion;
using Reporting.Uploads;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Uploads;

public sealed class ReturnTemplateTests
{
    [Fact]
    public void The_template_has_the_german_sheets_drop_downs_from_the_catalogue_frozen_headers_and_the_version_marker()
    {
        var path = Path.Combine(ReturnFiles.TempDir(), "Vorlage.xlsx");
        File.WriteAllBytes(path, ReturnTemplate.Create("2025", ReturnFiles.Catalog));

        using var wb = new XLWorkbook(path);
        Assert.Equal([L.CoverSheet, L.CostSheet, L.SupplySheet, L.OzgSheet, L.GuidanceSheet, L.ListsSheet],
            wb.Worksheets.Select(w => w.Name));
        Assert.Equal(XLWorksheetVisibility.VeryHidden, wb.Worksheet(L.ListsSheet).Visibility);
        Assert.Equal(L.TemplateId, wb.CustomProperty(L.TemplateIdProperty).GetValue<string>());
        Assert.Equal(L.Title, wb.Worksheet(L.CoverSheet).Cell(1, 1).GetString());
        Assert.True(wb.NamedRanges.Contains(L.VersionDefinedName));

        var costs = wb.Worksheet(L.CostSheet);
        Assert.Equal(["Personal", "Hardware", "Software und Lizenzen", "Externe Dienstleistungen", "Sonstiges"],
            Enumerable.Range(3, 5).Select(c => costs.Cell(L.HeaderRow, c).GetString()));
        Assert.Equal(ReturnFiles.Catalog.Services.Count,
            costs.Column(1).CellsUsed().Count(c => c.Address.RowNumber >= L.FirstDataRow));
        Assert.True(costs.IsProtected);
        Assert.False(costs.Cell("C4").Style.Protection.Locked);

        var supply = wb.Worksheet(L.SupplySheet);
        Assert.Equal(L.HeaderRow, supply.SheetView.SplitRow);
        Assert.Equal(12, supply.Column(1).Width);
        var ags = supply.DataValidations.Single(v => v.Ranges.Any(r => r.RangeAddress.FirstAddress.ColumnNumber == 1));
        Assert.Equal(XLAllowedValues.List, ags.AllowedValues);
        Assert.Contains(L.ListsSheet, ags.Value, StringComparison.Ordinal);
        Assert.Equal(ReturnFiles.Catalog.Municipalities.Count, wb.Worksheet(L.ListsSheet).Column(2).CellsUsed().Count()
            - 1);
        var maturity = wb.Worksheet(L.OzgSheet).DataValidations.Single(v
            => v.Ranges.Any(r => r.RangeAddress.FirstAddress.ColumnNumber == 5));
        Assert.Equal(XLAllowedValues.WholeNumber, maturity.AllowedValues);
    }

    [Fact]
    public void The_empty_template_is_recognised_and_asks_for_the_cover_fields()
    {
        var p = ReturnFiles.Validate(ReturnTemplate.Create("2025", ReturnFiles.Catalog), "Vorlage.xlsx");
        Assert.DoesNotContain(p.Messages, m => m.Rule.StartsWith("Vorlage", StringComparison.Ordinal)
            || m.Rule.StartsWith("Struktur", StringComparison.Ordinal));
        Assert.Contains(p.Messages, m => m.Rule == "Domaene.Dienstleister" && m.Cell == "B4");
        Assert.Contains(p.Messages, m => m.Rule == "Typ.Pflichtfeld" && m.Cell == "B9");
        Assert.Empty(p.Costs);
    }
}
