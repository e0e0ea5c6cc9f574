using ClosedXML.Excel;
using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Reports;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Reports;

/// <summary>
/// The demo region end to end (reference, sample returns, KPI engine), then every scope's dashboard checked against
/// its scoped snapshot: a number is the scope's own value or sits under a label that names it a comparison.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class ReconciliationTests
{
    const string Services = "Leistungen und Konsolidierung";

    [Fact]
    public async Task Every_dashboard_of_the_demo_region_shows_its_scopes_values_or_labelled_NRW_comparisons()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        using var app = TestApp.Build(db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"));
        await app.StartAsync();
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "samples"), "*.xlsx");
        await app.Services.GetRequiredService<SampleReturns>().SubmitAndWaitAsync(files, TimeSpan.FromMinutes(3), default);
        var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        await app.StopAsync();

        var reader = new SnapshotReader(db.DataSource,
            Microsoft.Extensions.Options.Options.Create(new KpiOptions { AnonymityMinProviders = 5 }));
        var renderer = new DashboardRenderer(db.DataSource, KpiCatalogue.LoadEmbedded(), reader);
        var nrw = (await reader.LoadAsync(id, KpiScope.Nrw))!;

        // NRW: the services table holds the NRW service values.
        using (var wb = await WorkbookAsync(renderer, id, KpiScope.Nrw))
            AssertTableValuesIn(wb.Worksheet(Services), nrw.Values.Where(v => v.Dimension == "service"), "nrw");

        var districts = nrw.Values.Where(v => v.Dimension == "district").Select(v => v.SliceKey).Distinct().ToList();
        Assert.NotEmpty(districts);
        foreach (var key in districts)
        {
            var scope = KpiScope.Parse($"district={key}");
            var own = (await reader.LoadAsync(id, scope))!;
            using var wb = await WorkbookAsync(renderer, id, scope);
            var ws = wb.Worksheet(Services);
            Assert.Contains("NRW-Vergleich", ws.Cell(1, 1).GetString());
            Assert.Equal((double)own.ValueOf("consolidation_potential", "district", key)!.Value,
                ws.Cell(3, 11).GetValue<double>(), 4);
            AssertTableValuesIn(ws, own.Values.Where(v => v.Dimension == "service"), key);
            // OZG: own district rows hold the district's values; the other row is the labelled NRW total.
            foreach (var row in NumericRows(wb.Worksheet("OZG")))
            {
                var rowKey = row.Cell(1).GetString();
                Assert.True(rowKey == key || rowKey == "NRW", $"district {key} sees OZG row {rowKey}");
                foreach (var cell in Numbers(row))
                    Assert.Contains(own.Values, v => v.KpiId == "ozg_topic_online_rate"
                        && (rowKey == "NRW" ? v.Dimension == "ozg_topic" : v.Dimension == "district_ozg_topic")
                        && Close(v.Value, cell.GetValue<double>()));
            }
        }

        // Providers: three report, fewer than the minimum of five: no NRW aggregate anywhere in their workbook.
        var aggregates = nrw.Values.Where(v => v.ProviderCode is null && v.Value is { } x && !IsSmallInteger(x))
            .Select(v => (double)v.Value!.Value).ToList();
        var providers = nrw.Values.Where(v => v.Dimension == "provider").Select(v => v.SliceKey).Distinct().ToList();
        Assert.True(providers.Count is > 0 and < 5);
        foreach (var code in providers)
        {
            var scope = KpiScope.Parse($"provider={code}");
            var own = (await reader.LoadAsync(id, scope))!.Values.Where(v => v.Value is not null)
                .Select(v => (double)v.Value!.Value).ToList();
            using var wb = await WorkbookAsync(renderer, id, scope);
            Assert.DoesNotContain(NumericRows(wb.Worksheet("OZG")), r => r.Cell(1).GetString() == "NRW");
            foreach (var ws in wb.Worksheets.Where(w => w.Name is not "Datenstand" and not "Definitionen"))
                foreach (var cell in ws.CellsUsed().Where(c => c.DataType == XLDataType.Number))
                {
                    var x = cell.GetValue<double>();
                    Assert.False(aggregates.Any(a => Close(a, x)) && !own.Any(o => Close(o, x)),
                        $"provider {code} sees the NRW aggregate {x} in {ws.Name}!{cell.Address}");
                }
        }
    }

    static async Task<XLWorkbook> WorkbookAsync(DashboardRenderer renderer, long id, KpiScope scope) =>
        new(WorkbookDrawings.WithoutPictures((await renderer.RenderAsync(id, scope)).Workbook));

    static IEnumerable<IXLRow> NumericRows(IXLWorksheet ws) =>
        ws.RowsUsed().Where(r => r.RowNumber() > 4 && Numbers(r).Any());

    static IEnumerable<IXLCell> Numbers(IXLRow row) => row.CellsUsed().Where(c => c.DataType == XLDataType.Number);

    static void AssertTableValuesIn(IXLWorksheet ws, IEnumerable<Reporting.Kpis.KpiValue> values, string scope)
    {
        var list = values.Where(v => v.Value is not null).ToList();
        foreach (var cell in NumericRows(ws).SelectMany(Numbers))
            Assert.True(list.Any(v => Close(v.Value, cell.GetValue<double>())),
                $"{scope}: {ws.Name}!{cell.Address} = {cell.GetValue<double>()} is no service value of the snapshot");
    }

    static bool IsSmallInteger(decimal x) => x == Math.Round(x) && Math.Abs(x) <= 100;

    static bool Close(decimal? a, double b) => a is { } x && Close((double)x, b);

    static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a));
}
