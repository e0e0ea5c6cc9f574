using Reporting.Kpis;
using System.Diagnostics;
using ClosedXML.Excel;
using Reporting.IntegrationTests.Support;
using Reporting.Reports;
using SkiaSharp;

namespace Reporting.IntegrationTests.Reports;

public sealed class DashboardRendererTests
{
    static SnapshotReader Snapshots(TestDatabase db, int anonymityMinProviders = 5) =>
        new(db.DataSource, Microsoft.Extensions.Options.Options.Create(
            new KpisOptions { AnonymityMinProviders = anonymityMinProviders }));

    static DashboardRenderer Renderer(TestDatabase db)
        => new(db.DataSource, KpiCatalogue.LoadEmbedded(), Snapshots(db));

    static readonly string[] OtherDistrictsMunicipalities =
        ["Auenburg", "Brückenfeld", "Wiesenau", "Tannhöhe", "Brunnfeld", "Rödersheim", "Fließhausen", "Bärwalde"];

    [Fact]
    public async Task Every_chart_is_a_PNG_of_the_expected_size_with_content_and_the_SVG_carries_the_German_title()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw, svg: true);

        Assert.Equal(["kosten-je-arbeitsplatz", "kostenentwicklung", "kostenstruktur", "ozg-online-quote",
            "ozg-heatmap",
            "konsolidierungspotenzial", "skaleneffekte", "kreis-karte"], result.Charts.Select(c => c.Name));
        foreach (var (name, png) in result.Charts)
        {
            using var bmp = SKBitmap.Decode(png);
            Assert.True(bmp is not null, $"{name} is not a PNG");
            Assert.Equal(DashboardCharts.Width, bmp.Width);
            // The demo region is small: no chart needs to grow, charts of few bars are lower.
            Assert.InRange(bmp.Height, 250, DashboardCharts.Height);
            var colours = new HashSet<uint>();
            var inked = 0;
            for (var y = 0; y < bmp.Height; y += 2)
                for (var x = 0; x < bmp.Width; x += 2)
                {
                    var p = bmp.GetPixel(x, y);
                    colours.Add((uint)p);
                    if (p.Red < 240 || p.Green < 240 || p.Blue < 240) inked++;
                }
            Assert.True(colours.Count > 20, $"{name}: only {colours.Count} colours");
            Assert.True(inked > bmp.Width * bmp.Height / 4 / 50, $"{name}: only {inked} non-background pixels");
        }
        var svg = result.SvgCharts.Single(c => c.Name == "kosten-je-arbeitsplatz").Svg;
        Assert.Contains("IT-Kosten je Arbeitsplatz nach Dienstleister", svg);
        Assert.Contains("2025", svg);
        Assert.Contains("vorläufig", svg);                       // 3 of 4 returns: provisional
        Assert.Contains("75,0 %", svg);                          // completeness, German format
        Assert.Contains("3.480 €", svg);                         // KDZ's bar label, German thousands separator
        Assert.Contains("DejaVu Sans", svg);
        Assert.DoesNotContain("DejaVu Serif", svg);
        Assert.Contains("Gesundheit", result.SvgCharts.Single(c => c.Name == "ozg-heatmap").Svg);
    }

    [Fact]
    public async Task The_workbook_holds_the_inserted_values_as_numbers_with_formats_frozen_headers_and_filters()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));

        Assert.Equal(ExecutiveWorkbook.SheetNames, wb.Worksheets.Select(w => w.Name));
        Assert.Equal($"IT-Dashboard-nrw-2025.xlsx", result.WorkbookFileName);

        var overview = wb.Worksheet("Übersicht");
        Assert.Equal("IT-Gesamtkosten", overview.Cell("A5").GetString());
        Assert.Equal(XLDataType.Number, overview.Cell("B5").DataType);
        Assert.Equal(DashboardSeed.NrwTotalCost, overview.Cell("B5").GetValue<decimal>());
        Assert.Equal(11_000_000m, overview.Cell("C5").GetValue<decimal>());
        Assert.Equal(ExecutiveWorkbook.EuroFormat, overview.Cell("B5").Style.NumberFormat.Format);
        Assert.Equal(KpiCatalogue.LoadEmbedded()["cost_per_workstation"].Name, overview.Cell("A6").GetString());
        Assert.Equal("gelb", overview.Cell("E6").GetString());   // 3.250 € is above 3.100 € but below +15 %
        Assert.Equal(4, WorkbookDrawings.Pictures(result.Workbook, "Übersicht").Count);
        Assert.Equal(4, overview.SheetView.SplitRow);

        var providers = wb.Worksheet("Dienstleister");
        var kdz = providers.Column(1).CellsUsed().Single(c => c.GetString() == "KDZ").WorksheetRow();
        Assert.Equal("KDZ Auenland", kdz.Cell(2).GetString());
        Assert.Equal(6_000_000m, kdz.Cell(3).GetValue<decimal>());
        Assert.Equal(DashboardSeed.KdzCostPerWorkstation, kdz.Cell(4).GetValue<decimal>());
        Assert.Equal(DashboardSeed.KdzCostPerWorkstation / 3100m - 1, kdz.Cell(5).GetValue<decimal>(), 6);
        Assert.Equal(61.5m, kdz.Cell(8).GetValue<decimal>());
        Assert.True(providers.AutoFilter.IsEnabled);
        Assert.Equal(4, providers.SheetView.SplitRow);
        Assert.Equal(2, providers.ConditionalFormats.Count());
        Assert.Equal(XLPaperSize.A4Paper, providers.PageSetup.PaperSize);
        Assert.Equal(XLPageOrientation.Landscape, providers.PageSetup.PageOrientation);
        Assert.Equal(1, providers.PageSetup.PagesWide);
        Assert.True(providers.Column(2).Width >= 40);   // the header's width is the minimum; a longer name widens it

        var municipalities = wb.Worksheet("Kommunen");
        Assert.Equal(15, municipalities.Column(1).CellsUsed().Count(c => c.Address.RowNumber > 4));
        var lindenau = municipalities.Column(1).CellsUsed().Single(c => c.GetString() == "05870004").WorksheetRow();
        Assert.Equal(XLDataType.Text, lindenau.Cell(1).DataType);      // AGS keeps its leading zero
        Assert.Equal("Lindenau, Stadt", lindenau.Cell(2).GetString());
        Assert.Equal(
            await db.ScalarAsync<decimal>(
                $"select value from kpi_values where snapshot_id = {id} and kpi_id = 'ozg_online_rate' and slice_key "
                    + $"= '05870004'"),
            lindenau.Cell(5).GetValue<decimal>());
        Assert.EndsWith("0.0%", lindenau.Cell(5).Style.NumberFormat.Format);

        var ozg = wb.Worksheet("OZG");
        var lindenauOzg = ozg.Column(1).CellsUsed().Single(c => c.GetString() == "05870").WorksheetRow();
        var topicColumn = ozg.Row(4).CellsUsed().Single(c => c.GetString() == "Gesundheit").Address.ColumnNumber;
        Assert.Equal(await db.ScalarAsync<decimal>($"""
            select avg((best >= 2)::int)::numeric from (
              select max(f.maturity) as best from ozg_facts f join municipalities m on m.ags = f.ags
                join ozg_services o on o.ozg_id = f.ozg_id
              join kpi_snapshots s on s.id = {id} and f.return_version_id = any(s.return_version_ids)
              where m.district_key = '05870' and o.topic = 'Gesundheit'
              group by f.ags, f.ozg_id) b
            """), lindenauOzg.Cell(topicColumn).GetValue<decimal>(), 10);

        var status = wb.Worksheet("Datenstand");
        Assert.Equal(id, status.Cell("B4").GetValue<long>());
        Assert.Equal("vorläufig", status.Cell("B10").GetString());
        Assert.Equal(3, status.Column(3).CellsUsed().Count(c => c.DataType == XLDataType.Number));
        Assert.Equal(XLDataType.DateTime, status.Cell("G14").DataType);

        Assert.Contains(wb.Worksheet("Definitionen").Column(5).CellsUsed(), c => c.GetString() == "ozg_online_rate");
        Assert.Equal(7, result.KeyFigures.Count);
        Assert.Contains(result.KeyFigures, f
            => f is
            {
                Label: "IT-Gesamtkosten", Value: "12.345.679 € (vorläufig)", Change: "↑ +12,2 % ggü. 2024",
            });
    }

    [Fact]
    public async Task Rendering_a_dashboard_with_its_pictures_loads_no_native_drawing_library()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);

        Assert.Equal(4, WorkbookDrawings.Pictures(result.Workbook, "Übersicht").Count);
        // Where libgdiplus is installed it would be mapped once anything had gone through System.Drawing's GDI+.
        Assert.DoesNotContain("libgdiplus", await File.ReadAllTextAsync("/proc/self/maps"));
    }

    [Fact]
    public async Task The_overviews_key_charts_sit_below_the_table_one_a_row_at_full_size_each_starting_a_page()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        var pictures = WorkbookDrawings.Pictures(result.Workbook, "Übersicht");
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));
        var overview = wb.Worksheet("Übersicht");

        Assert.Equal(["kosten-je-arbeitsplatz", "ozg-online-quote", "kostenentwicklung", "konsolidierungspotenzial"],
            pictures.Select(p => p.Name));
        Assert.All(pictures, p => Assert.Equal((p.PngWidth, p.PngHeight), ((int)p.WidthPx, (int)p.HeightPx)));
        var lastTile = overview.Column(1).LastCellUsed().Address.RowNumber;
        Assert.Equal(lastTile + 2, pictures[0].Row);
        for (var i = 1; i < pictures.Count; i++)
            Assert.True(pictures[i].Row * 20 >= pictures[i - 1].Row * 20 + pictures[i - 1].HeightPx);
        Assert.All(pictures, p => Assert.Equal(1, p.Column));
        Assert.Equal(pictures.Select(p => p.Row - 1), overview.PageSetup.RowBreaks);
        Assert.Empty(WorkbookDrawings.DrawingErrors(result.Workbook));
    }

    [Fact]
    public async Task The_first_sheet_shows_the_key_figures_as_tiles_and_two_charts_in_one_picture_of_twice_the_pixels()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        var picture = Assert.Single(WorkbookDrawings.Pictures(result.Workbook, DashboardSheet.Name));
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));
        var ws = wb.Worksheet(DashboardSheet.Name);

        Assert.Equal(DashboardSheet.Name, wb.Worksheets.First().Name);
        Assert.Equal("IT-Gesamtkosten", ws.Cell("A4").GetString());
        Assert.Equal(DashboardSeed.NrwTotalCost, ws.Cell("A5").GetValue<decimal>());
        Assert.Equal("Euro, vorläufig", ws.Cell("A6").GetString());   // 3 of 4 returns
        Assert.Equal("Ampel gelb", ws.Cell("C8").GetString());   // cost per workstation, as on the overview
        // The light's own colour, not the tile's band painted over it (white text on the band was invisible).
        Assert.Equal("FFF0E442", ws.Cell("C8").Style.Fill.BackgroundColor.Color.ToArgb().ToString("X8"));
        Assert.Equal(2, picture.Name.Split('+').Length);
        Assert.Equal((2 * (int)picture.WidthPx, 2 * (int)picture.HeightPx), (picture.PngWidth, picture.PngHeight));
        Assert.Equal(18, picture.Row);
        Assert.Equal(1, ws.PageSetup.PagesWide);
        Assert.Equal(1, ws.PageSetup.PagesTall);
        Assert.Equal(XLPageOrientation.Landscape, ws.PageSetup.PageOrientation);
        Assert.Single(ws.PageSetup.PrintAreas);
    }

    [Fact]
    public async Task Every_text_cell_of_the_tables_fits_its_column_by_our_own_measure_or_wraps()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));

        foreach (var sheet in new[] { "Dienstleister", "Kommunen", "Leistungen und Konsolidierung", "Definitionen" })
        {
            var ws = wb.Worksheet(sheet);
            foreach (var cell in ws.CellsUsed(c => c.Address.RowNumber > 4 && c.DataType == XLDataType.Text))
            {
                var width = ws.Column(cell.Address.ColumnNumber).Width;
                Assert.True(cell.Style.Alignment.WrapText || ExecutiveWorkbook.TextWidth(cell.GetString()) <= width,
                    $"{sheet}!{cell.Address}: '{cell.GetString()}' is wider than its column ({width})");
            }
        }
        Assert.Equal(ExecutiveWorkbook.TextWidth(DashboardSeed.EvilProviderName),
            wb.Worksheet("Dienstleister").Column(2).Width);
    }

    [Fact]
    public async Task The_tables_name_things_in_German_ids_only_at_the_right_and_rows_fit_their_wrapped_text()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.District("05870"));
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));

        foreach (var ws in wb.Worksheets.Skip(1))
            foreach (var cell in ws.CellsUsed(c => c.DataType == XLDataType.Text))
            {
                var text = cell.GetString();
                Assert.DoesNotMatch(@"\b(district|region|provider)=|\(nrw\)|\bapi:|\bportal:|^demo$", text);
                if (cell.Style.Alignment.WrapText && cell.Address.RowNumber > 4)
                    Assert.True(ws.Row(cell.Address.RowNumber).Height
                        >= ExecutiveWorkbook.Lines(text, ws.Column(cell.Address.ColumnNumber).Width) * 15,
                        $"{ws.Name}!{cell.Address}: '{text}' wraps to more lines than its row holds");
            }
        var services = wb.Worksheet("Leistungen und Konsolidierung");
        Assert.Equal("Leistung", services.Cell(4, 1).GetString());
        Assert.Equal("Technische ID", services.Row(4).LastCellUsed().GetString());
        var definitions = wb.Worksheet("Definitionen");
        Assert.Equal("Kennzahl", definitions.Cell(4, 1).GetString());
        Assert.Equal("Technische ID", definitions.Row(4).LastCellUsed().GetString());
        Assert.DoesNotContain(definitions.Column(1).CellsUsed(), c => c.GetString().Contains('_'));
        var status = wb.Worksheet("Datenstand");
        Assert.Equal("Kreis Lindenau", status.Column(1).CellsUsed().Single(c => c.GetString() == "Ausschnitt")
            .CellRight().GetString());
        Assert.Contains(status.CellsUsed(), c => c.GetString() == "Schnittstelle, Anbieter KDZ");
        Assert.True(status.Column(1).Width >= ExecutiveWorkbook.TextWidth("Eingegangene Meldungen"));
    }

    [Fact]
    public async Task A_provider_name_starting_with_an_equals_sign_stays_text()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);

        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));

        var cell = wb.Worksheet("Dienstleister").Column(1).CellsUsed().Single(c
            => c.GetString() == "ITV").WorksheetRow().Cell(2);
        Assert.False(cell.HasFormula);
        Assert.Equal(XLDataType.Text, cell.DataType);
        Assert.Equal(DashboardSeed.EvilProviderName, cell.GetString());
        Assert.DoesNotContain(wb.Worksheets.SelectMany(w => w.CellsUsed()), c => c.HasFormula);
    }

    [Fact]
    public async Task A_district_dashboard_holds_its_own_rows_and_NRW_aggregates_but_no_other_district()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);
        var scope = KpiScope.Parse("district=05870");

        var data = await DashboardLoader.LoadAsync(db.DataSource, KpiCatalogue.LoadEmbedded(), Snapshots(db), id,
            scope);
        var result = DashboardRenderer.Render(data);

        Assert.Equal("Kreis Lindenau", data.ScopeLabel);
        var lindenauAgs = await db.ScalarAsync<string>(
            "select string_agg(ags, ',' order by ags) from municipalities where district_key = '05870'");
        Assert.Equal(lindenauAgs, string.Join(',', data.Of("ozg_online_rate", "municipality").Select(v => v.SliceKey)));
        Assert.Equal(["05870"], data.Values.Where(v => v.Dimension == "district").Select(v => v.SliceKey).Distinct());
        Assert.Equal(["KDZ"], data.Values.Where(v => v.Dimension == "provider").Select(v => v.SliceKey).Distinct());
        Assert.NotNull(data.One("total_cost", "nrw", "NRW"));                // comparison figures stay
        Assert.NotNull(data.One("consolidation_potential", "service", "ARB"));
        Assert.NotNull(data.One("total_cost", "region", "058"));
        Assert.Equal(["05870", "NRW"], data.OzgHeat.Select(c => c.ColumnKey).Distinct().Order());
        Assert.Equal([4_100_000m, 4_750_000m],
            data.CostTrend.Select(p => p.TotalCost!.Value));   // the district's own trend

        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(result.Workbook));
        var texts = wb.Worksheets.SelectMany(w => w.CellsUsed()).Select(c => c.GetString()).ToList();
        foreach (var name in OtherDistrictsMunicipalities)
            Assert.DoesNotContain(texts, t => t.Contains(name, StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("Wiesental-IT", StringComparison.Ordinal) && !IsDataStatus(wb, t));
        Assert.Equal(7, wb.Worksheet("Kommunen").Column(1).CellsUsed().Count(c
            => c.GetString().StartsWith("05870", StringComparison.Ordinal)));
        Assert.Equal("IT-Dashboard-district-05870-2025.xlsx", result.WorkbookFileName);
    }

    [Fact]
    public async Task A_provider_dashboard_holds_its_own_figures_and_NRW_comparisons_only_with_enough_providers()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);
        var scope = KpiScope.Parse("provider=WIT");

        // Three providers reported, fewer than the default minimum of 5: no NRW figure or territory row could be
        // taken apart into a competitor's numbers, so the dashboard holds WIT's own figures only.
        var data = await DashboardLoader.LoadAsync(db.DataSource, KpiCatalogue.LoadEmbedded(), Snapshots(db), id,
            scope);

        Assert.Equal("Wiesental-IT", data.ScopeLabel);
        Assert.Equal(["WIT"], data.Values.Select(v => v.ProviderCode).Distinct());
        Assert.DoesNotContain(data.Values, v => v.Dimension is "district" or "municipality" or "region" or "nrw");
        Assert.All(data.Municipalities, m => Assert.Equal("05874", m.DistrictKey));   // the districts it serves, listed
        Assert.Equal(["WIT"], data.Returns.Select(r => r.ProviderCode));
        Assert.Equal(3900m, data.Headline("cost_per_workstation")!.Value);   // the provider's own figure leads
        Assert.DoesNotContain(data.OzgHeat, c
            => c.ColumnKey == "NRW");   // the heat map's NRW column is an aggregate too

        // With a minimum of 3 the NRW-wide aggregates may be shown for comparison; still no territory rows. The
        // minimum applies when a snapshot is published (publications are frozen), so the seeded one is published so.
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            var contributions = new Dictionary<string, string> { ["KDZ"] = "k", ["ITV"] = "i", ["WIT"] = "w" };
            Assert.Equal(3, await ProviderAnonymity.PublishAsync(conn, tx, "2025", id, null, contributions,
                minProviders: 3, CancellationToken.None));
            await tx.CommitAsync();
        }
        var compared = await DashboardLoader.LoadAsync(db.DataSource, KpiCatalogue.LoadEmbedded(),
            Snapshots(db, anonymityMinProviders: 3), id, scope);
        Assert.NotNull(compared.One("cost_per_workstation", "nrw", "NRW"));
        Assert.DoesNotContain(compared.Values, v => v.Dimension is "district" or "municipality" or "region");
        Assert.Contains(compared.OzgHeat, c => c.ColumnKey == "NRW");
        Assert.Equal(["WIT"],
            compared.Values.Where(v => v.ProviderCode is not null).Select(v => v.ProviderCode).Distinct());
    }

    /// <summary>
    /// The data-status sheet names every return that went in (a fact about completeness, not another district's row).
    /// </summary>
    static bool IsDataStatus(XLWorkbook wb, string text) =>
        wb.Worksheet("Datenstand").CellsUsed().Any(c => c.GetString() == text);

    /// <summary>The workbook as LibreOffice prints it (a profile of its own in <paramref name="dir"/>).</summary>
    static async Task<string> PrintToPdfAsync(RenderedDashboard result, string dir)
    {
        var xlsx = Path.Combine(dir, result.WorkbookFileName);
        await File.WriteAllBytesAsync(xlsx, result.Workbook);
        var (rc, output) = await RunAsync("soffice", "--headless", $"-env:UserInstallation=file://{dir}/profile",
            "--convert-to", "pdf", "--outdir", dir, xlsx);
        var pdf = Path.ChangeExtension(xlsx, ".pdf");
        Assert.True(rc == 0 && File.Exists(pdf), $"soffice rc {rc}: {output}");
        return pdf;
    }

    [SofficeFact]
    public async Task The_workbook_opens_in_LibreOffice_and_prints_every_sheet_to_PDF()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);
        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        var dir = Directory.CreateTempSubdirectory("lo-").FullName;
        try
        {
            var pdf = await PrintToPdfAsync(result, dir);

            var (_, info) = await RunAsync("pdfinfo", pdf);
            var pages = int.Parse(info.Split('\n').Single(l => l.StartsWith("Pages:",
                StringComparison.Ordinal))[6..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // One page wide per sheet; the overview (tiles + charts) and definitions may run to a second page.
            Assert.InRange(pages, ExecutiveWorkbook.SheetNames.Length, ExecutiveWorkbook.SheetNames.Length + 6);
            var (_, text) = await RunAsync("pdftotext", "-layout", pdf, "-");
            foreach (var title in new[] { "IT-Dashboard", "Dienstleister im Vergleich", "Kommunen",
                "Leistungen und Konsolidierung", "OZG-Umsetzung", "Datenstand", "Definitionen der Kennzahlen" })
                Assert.Contains(title, text);
            Assert.Contains("Seite 1 von", text);
            Assert.DoesNotContain("###", text);
            Assert.DoesNotContain("#NAME?", text);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [SofficeFact]
    public async Task The_first_sheet_prints_on_one_A4_page_with_its_text_and_charts_at_8_pt_or_more()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);
        var result = await Renderer(db).RenderAsync(id, KpiScope.Nrw);
        var dir = Directory.CreateTempSubdirectory("lo-first-").FullName;
        try
        {
            var pdf = await PrintToPdfAsync(result, dir);

            // Every printed page names its sheet in the footer: the first sheet's pages are those naming it.
            var (_, text) = await RunAsync("pdftotext", "-layout", pdf, "-");
            var pages = text.Split('\f').Where(p => p.Trim().Length > 0).ToList();
            var first = ExecutiveWorkbook.SheetNames[0];
            Assert.Equal(1, pages.Count(p => p.Contains($"· {first}", StringComparison.Ordinal)));
            Assert.Contains($"· {first}", pages[0]);
            var (_, info) = await RunAsync("pdfinfo", "-f", "1", "-l", "1", pdf);
            Assert.Matches(@"size: +841\.89 x 595\.[0-9]+ pts \(A4\)", info);   // landscape

            // Text: a word's box is about its font size high; the tiles' smallest font is 9 pt.
            var (_, bbox) = await RunAsync("pdftotext", "-f", "1", "-l", "1", "-bbox", pdf, "-");
            var words = System.Text.RegularExpressions.Regex.Matches(bbox,
                    "yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" yMax=\"([0-9.]+)\">([^<]*)<")
                .Select(m => (Height: double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
                    - double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                    Word: m.Groups[3].Value)).ToList();
            Assert.Contains(words, w => w.Word == "IT-Gesamtkosten");
            Assert.All(words, w => Assert.True(w.Height >= 8, $"'{w.Word}' prints {w.Height:0.0} pt high"));

            // Charts (two in one picture): at most 198 image pixels per inch, so their smallest text (11 px drawn at
            // twice the pixels) prints at 8 pt or more.
            var (_, images) = await RunAsync("pdfimages", "-f", "1", "-l", "1", "-list", pdf);
            var ppi = images.Split('\n').Skip(2).Where(l => l.Trim().Length > 0)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(c => c[2] == "image").Select(c => double.Parse(c[12],
                    System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.InRange(ppi.Count, 1, 4);
            Assert.All(ppi, x => Assert.True(x <= 198, $"a chart prints at {x} ppi: its text below 8 pt"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Render_without_a_snapshot_says_run_kpis_first_and_exits_non_zero()
    {
        await using var db = await TestDatabase.CreateAsync();
        var r = await AppProcess.RunAsync(db, "render", "--period", "2031", "--out", Path.GetTempPath());

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no KPI snapshot for period 2031; run kpis first", r.Err);
    }

    [Fact]
    public async Task Render_writes_the_workbook_and_the_charts_of_the_latest_snapshot_for_a_district()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);
        var outDir = Directory.CreateTempSubdirectory("render-").FullName;
        try
        {
            var r = await AppProcess.RunAsync(db, "render", "--period", "2025", "--scope", "district=05870", "--out",
                outDir, "--svg");

            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Contains($"snapshot {id} (2025, provisional), scope district=05870", r.Out);
            var files = Directory.GetFiles(outDir).Select(Path.GetFileName).ToHashSet();
            Assert.Contains("IT-Dashboard-district-05870-2025.xlsx", files);
            Assert.Contains("district-05870-2025-ozg-heatmap.png", files);
            Assert.Contains("district-05870-2025-ozg-heatmap.svg", files);
            Assert.Equal(1 + 8 + 8, files.Count);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public async Task Render_with_scope_districts_writes_one_dashboard_per_district()
    {
        await using var db = await TestDatabase.CreateAsync();
        var id = await DashboardSeed.InsertAsync(db);
        var outDir = Directory.CreateTempSubdirectory("render-all-").FullName;
        try
        {
            var r = await AppProcess.RunAsync(db, "render", "--period", "2025", "--scope", "districts", "--out",
                outDir);

            Assert.True(r.ExitCode == 0, r.Err);
            var districts = await db.ScalarAsync<string>("select string_agg(key, ',' order by key) from districts");
            var workbooks = Directory.GetFiles(outDir, "*.xlsx").Select(Path.GetFileName).Order().ToList();
            Assert.Equal(districts.Split(',').Select(k => $"IT-Dashboard-district-{k}-2025.xlsx"), workbooks);
            Assert.Contains($"snapshot {id}: {workbooks.Count} district dashboards ({workbooks.Count * 9} files)",
                r.Out);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    static async Task<(int Rc, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }
}

/// <summary>A fact that needs LibreOffice and poppler; skipped with the reason where they are absent.</summary>
public sealed class SofficeFactAttribute : FactAttribute
{
    public SofficeFactAttribute()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        var missing = new[] { "soffice", "pdfinfo", "pdftotext", "pdfimages" }.Where(t
            => !path.Any(d => File.Exists(Path.Combine(d, t)))).ToList();
        if (missing.Count > 0) Skip = $"needs {string.Join(", ", missing)} (apt-get install libreoffice-calc-nogui "
            + $"poppler-utils)";
    }
}
