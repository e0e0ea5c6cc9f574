using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Kpis;

/// <summary>The verb as a user runs it: the app as a separate process against a test database.</summary>
public sealed class KpisCommandTests
{
    static async Task<(int Exit, string Out, string Err)> RunAsync(TestDatabase db, params string[] args)
    {
        var r = await AppProcess.RunAsync(db, args);
        return (r.ExitCode, r.Out, r.Err);
    }

    [Fact]
    public async Task Kpis_prints_the_snapshot_as_csv_with_formula_injection_escaped_and_reuses_it_the_second_time()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        await KpiFixture.Exec(db, "insert into providers (code, name) values ('P5', '=HYPERLINK(\"http://x\")')");
        var v = await KpiFixture.VersionAsync(db, "P5", "2025", "accepted", 1);
        await KpiFixture.Cost(db, v, ("ARB", "personal", 10.01m, "C5"));

        var (exit, output, err) = await RunAsync(db, "kpis", "--period", "2025", "--format", "csv");
        Assert.True(exit == 0, err);
        Assert.Contains("computed", err);
        using var csv = new CsvReader(new StringReader(output), CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        var p5 = rows.Single(r => (string)r["kpi_id"] == "total_cost" && (string)r["slice_key"] == "P5");
        Assert.Equal("'=HYPERLINK(\"http://x\")", p5["slice_label"]);
        Assert.Equal("10.01", p5["value"]);
        var nrw = rows.Single(r => (string)r["kpi_id"] == "total_cost" && (string)r["dimension"] == "nrw");
        Assert.Equal((3_120_000m + 1_250_000m + 6_650_000.50m + 10.01m).ToString(CultureInfo.InvariantCulture),
            nrw["value"]);

        var (exit2, json, err2) = await RunAsync(db, "kpis", "--period", "2025", "--format", "json", "--scope",
            "district=05162", "--kpi", "total_cost");
        Assert.True(exit2 == 0, err2);
        Assert.Contains("reused", err2);
        var doc = JsonDocument.Parse(json).RootElement;
        Assert.All(doc.GetProperty("values").EnumerateArray(), e
            => Assert.Equal("total_cost", e.GetProperty("kpiId").GetString()));
        Assert.DoesNotContain(doc.GetProperty("values").EnumerateArray(), e
            => e.GetProperty("sliceKey").GetString() == "05111");

        var id = doc.GetProperty("id").GetInt64();
        var (exit3, explain, err3) = await RunAsync(db, "kpis", "explain", "--snapshot",
            id.ToString(CultureInfo.InvariantCulture), "--kpi", "unit_cost", "--dimension", "provider_service",
                "--slice", "P2|ARB");
        Assert.True(exit3 == 0, err3);
        Assert.Contains("Kosten!C5", explain);
        Assert.Contains("Versorgung!10", explain);

        var (exit5, table, err5) = await RunAsync(db, "kpis", "--period", "2025", "--scope", "provider=P1");
        Assert.True(exit5 == 0, err5);
        Assert.Contains("reused", table);
        Assert.Matches(@"cost_per_workstation\s+provider\s+P1\s+ITK Eins\s+2600(\.00)?\s", table);
        Assert.DoesNotContain("KRZ Zwei", table);

        var (exit4, _, err4) = await RunAsync(db, "kpis", "--period", "1999");
        Assert.Equal(1, exit4);
        Assert.Contains("period '1999' does not exist", err4);
    }
}
