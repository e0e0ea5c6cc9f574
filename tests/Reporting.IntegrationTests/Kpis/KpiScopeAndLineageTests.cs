using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using static Reporting.IntegrationTests.Kpis.KpiFixture;

namespace Reporting.IntegrationTests.Kpis;

public sealed class KpiScopeAndLineageTests
{
    [Fact]
    public async Task A_district_sees_its_own_rows_and_NRW_aggregates_but_no_other_districts_rows()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        using var app = TestApp.Build(db);
        var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        var s = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id,
            KpiScope.Parse("district=05162")))!;

        Assert.NotNull(s.Find("total_cost", "district", "05162"));
        Assert.NotNull(s.Find("charges_per_workstation", "municipality", B));
        Assert.NotNull(s.Find("total_cost", "nrw", "NRW"));
        Assert.NotNull(s.Find("unit_cost_median", "service", "ARB"));
        Assert.Null(s.Find("total_cost", "district", "05111"));
        Assert.Null(s.Find("charges_per_workstation", "municipality", A));
        Assert.NotNull(s.Find("total_cost", "region", "051"));   // its own region, for comparison
        Assert.Null(s.Find("total_cost", "region", "053"));
        Assert.DoesNotContain(s.Values, v => v.Dimension == "municipality" && v.DistrictKey != "05162");
        Assert.DoesNotContain(s.Values, v => v.Dimension == "district" && v.SliceKey != "05162");
        // Providers registered for the district (P1, P2; P4 has no figures) are visible, P3 (Köln) is not.
        Assert.NotNull(s.Find("total_cost", "provider", "P2"));
        Assert.DoesNotContain(s.Values, v => v.ProviderCode == "P3");

        var region = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id, KpiScope.Region("053")))!;
        Assert.NotNull(region.Find("total_cost", "region", "053"));
        Assert.NotNull(region.Find("total_cost", "district", "05315"));
        Assert.Null(region.Find("total_cost", "district", "05162"));
        Assert.Null(region.Find("total_cost", "region", "051"));
    }

    [Fact]
    public async Task A_provider_sees_its_own_figures_and_comparisons_only_with_enough_providers()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);

        // Default threshold 5: three providers reported, so no comparisons and no NRW-wide aggregates.
        using (var app = TestApp.Build(db))
        {
            var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
            var s = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id, KpiScope.Provider("P1")))!;
            Assert.Equal(3_120_000m, s.ValueOf("total_cost", "provider", "P1"));
            Assert.All(s.Values.Where(v => v.ProviderCode is not null), v => Assert.Equal("P1", v.ProviderCode));
            Assert.DoesNotContain(s.Values, v => v.Dimension is "district" or "municipality" or "region");
            Assert.Null(s.Find("total_cost", "nrw", "NRW"));
            Assert.Null(s.Find("unit_cost_min", "service", "ARB"));
            Assert.Empty(s.Comparisons);
            Assert.All(s.ReturnVersions, v => Assert.Equal("P1", v.ProviderCode));
        }

        // Threshold 3: the board sees min, median and max across P1, P2, P3; a provider the aggregates, but no
        // comparison (band means need at least two bands of three providers).
        using (var app = TestApp.Build(db, settings: ("Kpis:AnonymityMinProviders", "3")))
        {
            var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
            var board = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id, KpiScope.Nrw))!;
            var c = Assert.Single(board.Comparisons, c => c.KpiId == "cost_per_workstation"
                && c.Dimension == "provider");
            Assert.Equal(3, c.Providers);
            Assert.Equal(3_120_000m / 1200, c.Min);
            Assert.Equal(1_250_000m / 400, c.Median);
            Assert.Equal(R(6_650_000.50m / 2050), c.Max);
            var s = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id, KpiScope.Provider("P1")))!;
            Assert.Empty(s.Comparisons);
            Assert.NotNull(s.Find("total_cost", "nrw", "NRW"));
            Assert.NotNull(s.Find("unit_cost_min", "service", "ARB"));
            Assert.DoesNotContain(s.Values, v => v.ProviderCode is "P2" or "P3");
        }
    }

    [Theory]
    [InlineData("", KpiScopeKind.Nrw, null)]
    [InlineData("nrw", KpiScopeKind.Nrw, null)]
    [InlineData("region=051", KpiScopeKind.Region, "051")]
    [InlineData("district=05162", KpiScopeKind.District, "05162")]
    [InlineData("provider=KRZN", KpiScopeKind.Provider, "KRZN")]
    public void Scopes_parse_from_their_text_form_and_back(string text, KpiScopeKind kind, string? key)
    {
        var s = KpiScope.Parse(text);
        Assert.Equal(new KpiScope(kind, key), s);
        Assert.Equal(s, KpiScope.Parse(s.ToString()));
    }

    [Theory]
    [InlineData("district=5162")]
    [InlineData("region=05")]
    [InlineData("provider=x")]
    [InlineData("kreis=05162")]
    public void Malformed_scopes_are_refused_with_the_expected_form(string text)
    {
        var e = Assert.Throws<FormatException>(() => KpiScope.Parse(text));
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public async Task Explain_lists_the_cells_behind_a_value()
    {
        await using var db = await TestDatabase.CreateAsync();
        var fx = await KpiFixture.CreateAsync(db);
        using var app = TestApp.Build(db);
        var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        var lineage = app.Services.GetRequiredService<KpiLineage>();

        var unit = (await lineage.ExplainAsync(id, "unit_cost", "provider_service", "P2|ARB"))!;
        Assert.Equal(1_200_000m / 400, unit.Value.Value);
        Assert.All(unit.Facts, f => Assert.Equal(fx.P2v2025, f.ReturnVersionId));
        var costCells = unit.Facts.Where(f => f.Measure == "cost").Select(f => $"{f.Sheet}!{f.Cell}").Order().ToList();
        Assert.Equal(["Kosten!C5", "Kosten!C6"], costCells);
        Assert.Equal(unit.Value.Numerator, unit.Facts.Where(f => f.Measure == "cost").Sum(f => f.Value));
        var supplyRows = unit.Facts.Where(f => f.Measure == "service_workstations").Select(f
            => (f.Ags, f.Cell)).Order().ToList();
        Assert.Equal([(C, "10"), (D, "12")], supplyRows);
        Assert.Equal(unit.Value.Denominator,
            unit.Facts.Where(f => f.Measure == "service_workstations").Sum(f => f.Value));

        // The district's cost: every cost line of the three providers that reach it, none of the superseded version.
        var district = (await lineage.ExplainAsync(id, "total_cost", "district", "05162"))!;
        Assert.Equal(["P1", "P2", "P3"], district.Facts.Select(f => f.ProviderCode).Distinct().Order().ToList());
        Assert.DoesNotContain(district.Facts, f => f.ReturnVersionId == fx.P1Superseded);
        Assert.Equal(district.Value.Value, Math.Round(district.Facts.Sum(f => f.Value!.Value), 10));

        // OZG: the rows reported, with their row numbers, the higher maturity winning for B/10002.
        var ozg = (await lineage.ExplainAsync(id, "ozg_online_rate", "municipality", B))!;
        Assert.Contains(ozg.Facts, f => f.OzgId == 10002 && f.ProviderCode == "P3" && f.Sheet == "OZG"
            && f.Cell == "13" && f.Value == 3);
        Assert.DoesNotContain(ozg.Facts, f => f.OzgId == 10002 && f.ProviderCode == "P1");

        var returns = (await lineage.ExplainAsync(id, "returns_received", "nrw", "NRW"))!;
        Assert.Equal([fx.P1v2025, fx.P2v2025, fx.P3v2025],
            returns.Facts.Select(f => f.ReturnVersionId).Order().ToList());
    }
}
