using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reports;
using Reporting.Scenarios;

namespace Reporting.IntegrationTests.Scenarios;

/// <summary>
/// Scenarios on the demo region's 2025 returns, against figures worked out by hand from its facts:
/// ARB (Arbeitsplatz-IT) 2025 — KDZA cost 4,028,819.55 for 4,739 workstations (Lindenau, Stadt 05870004: 638 of
/// them), ITVB 1,133,189.03 for 1,771, WTIT 916,859.54 for 1,280; each municipality has one provider.
/// Total cost: KDZA 17,033,060.91, ITVB 5,182,763.88, WTIT 4,477,217.32; NRW 26,693,042.11.
/// </summary>
public sealed class ScenarioEngineTests(ScenarioDemoFixture demo) : IClassFixture<ScenarioDemoFixture>
{
    const string Lindenau = "05870004";

    static decimal V(ScenarioEstimate e, string kpi, string dim, string slice, bool scenario = true)
    {
        var v = e.Find(kpi, dim, slice) ?? throw new Xunit.Sdk.XunitException($"no row {kpi} {dim}={slice}");
        return (scenario ? v.Scenario : v.Baseline) ?? throw new Xunit.Sdk.XunitException(
            $"{kpi} {dim}={slice}: no {(scenario ? "scenario" : "baseline")} value");
    }

    static double Elasticity(double[] workstations, double[] costs) =>
        PowerFit.Of(workstations, costs.Zip(workstations, (c, w) => c / w).ToArray())!.B;

    [Fact]
    public async Task A_scenario_without_changes_equals_the_baseline_exactly_for_every_KPI_and_slice()
    {
        var r = await demo.RunAsync("""{"name": "Ausgangsstand", "period": "2025", "changes": []}""");
        Assert.Equal(["low", "high"], r.Estimates.Select(e => e.Estimate));
        foreach (var e in r.Estimates)
        {
            Assert.True(e.Values.Count > 500);
            Assert.All(e.Values, v => Assert.True(v.Baseline == v.Scenario,
                $"{e.Estimate} {v.Kpi} {v.Dimension}={v.Slice}: {v.Baseline} -> {v.Scenario}"));
            Assert.NotEmpty(e.Assumptions);
        }
    }

    [Fact]
    public async Task Moving_one_municipalitys_workplace_IT_costs_the_receivers_unit_cost_in_the_low_estimate()
    {
        var r = await demo.RunAsync($$"""
            {"name": "Lindenau zu WTIT", "period": "2025",
             "changes": [{"move": {"municipalities": ["{{Lindenau}}"]}, "services": ["ARB"], "to": "WTIT"}]}
            """);
        var low = r.Estimates[0];
        Assert.Contains(low.Assumptions, a => a.StartsWith("Kostenmodell „Stückkosten des Aufnehmenden“",
            StringComparison.Ordinal));
        Assert.Contains(low.Assumptions, a => a.StartsWith("Remanenzkosten: keine", StringComparison.Ordinal));

        // KDZA gives 638 of its 4,739 ARB workstations and saves its own unit cost on them:
        //   4,028,819.55 x 638 / 4,739 = 542,390.14; WTIT takes them at its 916,859.54 / 1,280 = 456,997.18.
        var kdza = 17_033_060.91m - 4_028_819.55m * 638 / 4739;
        var wtit = 4_477_217.32m + 916_859.54m * 638 / 1280;
        Assert.Equal(kdza, V(low, "total_cost", "provider", "KDZA"), 4);
        Assert.Equal(wtit, V(low, "total_cost", "provider", "WTIT"), 4);
        Assert.Equal(5_182_763.88m, V(low, "total_cost", "provider", "ITVB"));
        Assert.Equal(kdza + wtit + 5_182_763.88m, V(low, "total_cost", "nrw", "NRW"), 4);
        Assert.Equal(26_693_042.11m, V(low, "total_cost", "nrw", "NRW", scenario: false));
        // Unit costs stay as they were under this model; the workstations move.
        Assert.Equal(Math.Round(916_859.54m / 1280, 10), V(low, "unit_cost", "provider_service", "WTIT|ARB"), 6);
        Assert.Equal(1280 + 638, V(low, "workstations", "provider_service", "WTIT|ARB"));
        Assert.Equal(4739 - 638, V(low, "workstations", "provider_service", "KDZA|ARB"));
        // HHI of ARB: shares of 7,790 workstations: before 4,739 / 1,771 / 1,280, after 4,101 / 1,771 / 1,918.
        static decimal Hhi(params decimal[] ws) => ws.Sum(w => (100 * w / 7790) * (100 * w / 7790));
        Assert.Equal(Hhi(4739, 1771, 1280), V(low, "hhi_workstations", "service", "ARB", scenario: false), 6);
        Assert.Equal(Hhi(4101, 1771, 1918), V(low, "hhi_workstations", "service", "ARB"), 6);
        // Lindenau keeps KDZA for its other services and now has WTIT too.
        Assert.Equal(1, V(low, "providers_per_municipality", "municipality", Lindenau, scenario: false));
        Assert.Equal(2, V(low, "providers_per_municipality", "municipality", Lindenau));

        // High: along the ARB scale curve (b fitted on the three providers), KDZA keeping 20 % of what it gives up.
        var high = r.Estimates[1];
        Assert.Contains(high.Assumptions, a => a.StartsWith("Kostenmodell „Skalenkurve“", StringComparison.Ordinal));
        var b = Elasticity([4739, 1771, 1280], [4_028_819.55, 1_133_189.03, 916_859.54]);
        var kdzaArb = 4_028_819.55 / 4739 * Math.Pow(4101.0 / 4739, b) * 4101;
        var wtitArb = 916_859.54 / 1280 * Math.Pow(1918.0 / 1280, b) * 1918;
        var kdzaHigh = 17_033_060.91 - 4_028_819.55 + kdzaArb + 0.2 * (4_028_819.55 - kdzaArb);
        Assert.Equal(kdzaHigh, (double)V(high, "total_cost", "provider", "KDZA"), 0.01);
        Assert.Equal(4_477_217.32 - 916_859.54 + wtitArb, (double)V(high, "total_cost", "provider", "WTIT"), 0.01);
    }

    [Fact]
    public async Task Merging_two_demo_providers_joins_their_volume_and_removes_the_one_merged_away()
    {
        var r = await demo.RunAsync("""
            {"name": "KDZA und ITVB", "period": "2025", "changes": [{"merge": ["KDZA", "ITVB"], "into": "KDZA"}]}
            """);
        var high = r.Estimates[1];
        Assert.Contains(high.Assumptions, a => a.StartsWith("Kostenmodell „Stückkosten des Aufnehmenden“",
            StringComparison.Ordinal));
        Assert.Contains(high.Assumptions, a => a.Contains("behält 20 %", StringComparison.Ordinal));
        // ARB after the merger: 4,739 + 1,771 = 6,510 workstations at KDZA's 4,028,819.55 / 4,739, plus 20 % of
        // ITVB's 1,133,189.03 as remanent cost.
        var arb = 4_028_819.55m / 4739 * 6510 + 0.2m * 1_133_189.03m;
        Assert.Equal(6510, V(high, "workstations", "provider_service", "KDZA|ARB"));
        Assert.Equal(Math.Round(arb / 6510, 10), V(high, "unit_cost", "provider_service", "KDZA|ARB"), 6);
        var itvb = high.Find("total_cost", "provider", "ITVB")!;
        Assert.Equal((5_182_763.88m, null), (itvb.Baseline, itvb.Scenario));
        // ARB's HHI: KDZA 6,510 and WTIT 1,280 of 7,790.
        Assert.Equal((100m * 6510 / 7790) * (100m * 6510 / 7790) + (100m * 1280 / 7790) * (100m * 1280 / 7790),
            V(high, "hhi_workstations", "service", "ARB"), 6);
        // Two returns where three were expected and received.
        Assert.Equal((3, 2), ((int)V(high, "returns_received", "nrw", "NRW", scenario: false),
            (int)V(high, "returns_received", "nrw", "NRW")));
        Assert.Equal(2, V(high, "returns_expected", "nrw", "NRW"));

        // Low: along each service's scale curve from KDZA's level; ARB: KDZA's unit cost x (6,510 / 4,739)^b.
        var low = r.Estimates[0];
        Assert.Contains(low.Assumptions, a => a.StartsWith("Kostenmodell „Skalenkurve“", StringComparison.Ordinal));
        var b = Elasticity([4739, 1771, 1280], [4_028_819.55, 1_133_189.03, 916_859.54]);
        Assert.Equal(4_028_819.55 / 4739 * Math.Pow(6510.0 / 4739, b),
            (double)V(low, "unit_cost", "provider_service", "KDZA|ARB"), 0.0001);
        Assert.True(V(low, "total_cost", "nrw", "NRW") < V(high, "total_cost", "nrw", "NRW"));
    }

    [Fact]
    public async Task A_scenario_never_changes_the_stored_returns_or_providers()
    {
        const string facts = """
            select md5(string_agg(x, ',' order by x)) from (
              select 's' || return_version_id || ags || service_code || workstations || users || charges as x
                from supply_facts
              union all select 'c' || return_version_id || service_code || cost_type || amount from cost_facts
              union all select 'o' || return_version_id || ags || ozg_id || maturity from ozg_facts
              union all select 'v' || id || coalesce(provider_code, '') || status || coalesce(staff_fte, 0)
                from return_versions
              union all select 'p' || code from providers) t
            """;
        var before = await demo.ScalarAsync<string>(facts);
        await demo.RunAsync("""
            {"name": "alles", "period": "2025", "changes": [
              {"merge": ["KDZA", "ITVB"], "into": {"code": "NRWIT", "name": "NRW-IT"}},
              {"move": {"districts": ["05874"]}, "services": "all", "to": "NRWIT"}]}
            """);
        Assert.Equal(before, await demo.ScalarAsync<string>(facts));
    }

    [Fact]
    public async Task Municipalities_moving_their_online_services_take_the_receivers_OZG_maturity()
    {
        var r = await demo.RunAsync("""
            {"name": "Portal", "period": "2025",
             "changes": [{"move": {"municipalities": ["05870004"]}, "services": "all", "to": "WTIT"}]}
            """);
        // WTIT's best maturity per OZG service over its municipalities: the share of municipal services at 2 or more.
        var expected = await demo.ScalarAsync<decimal>("""
            select round(count(*) filter (where b.m >= 2)::numeric / (select count(*) from ozg_services
              where municipal), 10)
            from (select o.ozg_id, max(o.maturity) as m from ozg_facts o
                  join current_versions v on v.id = o.return_version_id and v.period = '2025'
                    and v.provider_code = 'WTIT'
                  join ozg_services s on s.ozg_id = o.ozg_id and s.municipal group by 1) b
            """);
        Assert.Equal(expected, V(r.Estimates[0], "ozg_online_rate", "municipality", Lindenau), 8);
        Assert.Equal(1, V(r.Estimates[0], "providers_per_municipality", "municipality", Lindenau));
    }

    [Fact]
    public async Task A_district_sees_its_own_territory_and_no_other_districts_rows()
    {
        var r = await demo.RunAsync("""
            {"name": "KDZA und ITVB", "period": "2025", "changes": [{"merge": ["KDZA", "ITVB"], "into": "KDZA"}]}
            """, KpiScope.District("05874"));
        var values = r.Estimates[0].Values;
        Assert.Contains(values, v => v.Dimension == "district" && v.Slice == "05874");
        Assert.DoesNotContain(values, v => v.Dimension is "district" or "municipality" && v.DistrictKey != "05874");
        Assert.DoesNotContain(values, v => v.ProviderCode is "KDZA" or "ITVB");
        // NRW-wide aggregates stay visible, OZG topics among them.
        Assert.Contains(values, v => v.Dimension == "ozg_topic");
        Assert.Contains(values, v => v.Dimension == "nrw" && v.Kpi == "total_cost");
    }

    [Fact]
    public async Task A_scenario_with_problems_computes_nothing_and_says_why_in_German()
    {
        var outcome = await demo.Engine.RunAsync("""
            {"name": "x", "period": "2025", "changes": [
              {"merge": ["KDZA", "XXXX"], "into": "KDZA"},
              {"move": {"municipalities": ["05874004"]}, "services": ["BAU"], "to": "WTIT"}]}
            """, KpiScope.Nrw, null);
        Assert.Null(outcome.Result);
        Assert.Contains("Änderung 1: Dienstleister „XXXX“ ist unbekannt.", outcome.Problems);
        Assert.Single(outcome.Problems, p => p.StartsWith("Änderung 2: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_workbook_has_a_sheet_Szenario_with_assumptions_deltas_and_the_cost_chart_without_libgdiplus()
    {
        var r = await demo.RunAsync("""
            {"name": "KDZA und ITVB", "period": "2025", "changes": [{"merge": ["KDZA", "ITVB"], "into": "KDZA"}]}
            """);
        var xlsx = ScenarioWorkbook.Build(r, demo.App.Services.GetRequiredService<KpiCatalogue>());
        var picture = Assert.Single(WorkbookDrawings.Pictures(xlsx, ScenarioWorkbook.SheetName));
        Assert.Equal("Kosten je Dienstleister", picture.Name);
        Assert.Empty(WorkbookDrawings.DrawingErrors(xlsx));
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var texts = doc.WorkbookPart!.SharedStringTablePart!.SharedStringTable.InnerText;
        Assert.Contains("Remanenzkosten: der abgebende Dienstleister", texts, StringComparison.Ordinal);
        Assert.Contains("Ausgangsstand", texts, StringComparison.Ordinal);
        Assert.Contains("Δ hoch %", texts, StringComparison.Ordinal);
    }
}
