using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using static Reporting.IntegrationTests.Kpis.KpiFixture;

namespace Reporting.IntegrationTests.Kpis;

/// <summary>Every KPI of the catalogue against arithmetic done by hand on <see cref="KpiFixture"/>.</summary>
public sealed class KpiEngineTests
{
    static async Task<(IHost App, KpiSnapshot Snapshot)> ComputeAsync(TestDatabase db,
        params (string, string)[] settings)
    {
        var app = TestApp.Build(db, settings: settings);
        var engine = app.Services.GetRequiredService<KpiEngine>();
        await engine.ComputeSnapshotAsync("2024");
        var id = await engine.ComputeSnapshotAsync("2025");
        return (app, (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id, KpiScope.Nrw))!);
    }

    static decimal V(KpiSnapshot s, string kpi, string dim, string key) =>
        s.ValueOf(kpi, dim, key) ?? throw new Xunit.Sdk.XunitException($"no value {kpi} {dim}={key}");

    [Fact]
    public async Task Consolidation_potential_is_attributed_to_districts_by_workstation_share_as_cost_is()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        // Potentials by provider (see the consolidation test): P1 none, P2 and P3 above the first quartile.
        var finQ1 = 300m + (R(250_000.50m / 550) - 300m) * 0.5m;
        var p2 = 1_200_000m - 2750m * 400 + (50_000m - finQ1 * 100);
        var p3 = 6_400_000m - 2750m * 2000 + (250_000.50m - finQ1 * 550);
        // Workstations: P1 1000 (A) + 200 (B), P2 300 (C) + 100 (D), P3 2000 (E) + 50 (B).
        Assert.Equal(0m, V(s, "consolidation_potential", "district", "05111"));
        Assert.Equal(p2 + p3 * 50 / 2050, V(s, "consolidation_potential", "district", "05162"), 6);
        Assert.Equal(p3 * 2000 / 2050, V(s, "consolidation_potential", "district", "05315"), 6);
        Assert.Equal(p2 + p3 * 50 / 2050, V(s, "consolidation_potential", "region", "051"), 6);
        Assert.Equal(p3 * 50 / 2050, V(s, "consolidation_potential", "municipality", B), 6);
        Assert.Equal(V(s, "consolidation_potential", "nrw", "NRW"),
            V(s, "consolidation_potential", "region", "051") + V(s, "consolidation_potential", "region", "053"), 6);
    }

    [Fact]
    public async Task The_OZG_online_rate_by_topic_counts_municipality_service_pairs_at_their_best_maturity()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        // 05162 Familie: B 10001:2, B 10002: best of 0 (P1) and 3 (P3), C 4 and 3, D 10001:1: 4 of 5 pairs online.
        Assert.Equal(R(4m / 5), V(s, "ozg_topic_online_rate", "district_ozg_topic", "05162|Familie"));
        Assert.Equal(R(1m / 2), V(s, "ozg_topic_online_rate", "district_ozg_topic", "05162|Bauen"));   // B 0, C 2
        Assert.Equal(R(8m / 9), V(s, "ozg_topic_online_rate", "ozg_topic", "Familie"));
        Assert.Equal("05162", s.Find("ozg_topic_online_rate", "district_ozg_topic", "05162|Familie")!.DistrictKey);

        var own = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(s.Id,
            KpiScope.Parse("district=05111")))!;
        Assert.NotNull(own.Find("ozg_topic_online_rate", "district_ozg_topic", "05111|Familie"));
        Assert.Null(own.Find("ozg_topic_online_rate", "district_ozg_topic", "05162|Familie"));
    }

    [Fact]
    public async Task Cost_KPIs_match_the_hand_computed_figures()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        const decimal p1 = 2_000_000m + 1_000_000m + 120_000m, p2 = 1_000_000m + 200_000m + 50_000m, p3 = 5_000_000m
            + 1_400_000m + 250_000.50m;
        Assert.Equal(p1 + p2 + p3, V(s, "total_cost", "nrw", "NRW"));
        Assert.Equal(p1, V(s, "total_cost", "provider", "P1"));
        Assert.Equal(p3, V(s, "total_cost", "provider", "P3"));
        // Attribution by workstation share: P1 has 1000 (A) + 200 (B) workstations, P2 300 (C) + 100 (D), P3 2000 (E) +
        // 50 (B).
        var district05162 = p1 * 200 / 1200 + p2 * 300 / 400 + p2 * 100 / 400 + p3 * 50 / 2050;
        Assert.Equal(R(district05162), V(s, "total_cost", "district", "05162"));
        Assert.Equal(R(p1 * 1000 / 1200), V(s, "total_cost", "district", "05111"));
        Assert.Equal(R(p1 * 1000 / 1200 + district05162), V(s, "total_cost", "region", "051"));
        Assert.Equal(R(p3 * 2000 / 2050), V(s, "total_cost", "region", "053"));

        // Workstations: per provider and municipality the widest service (A: max(1000, 400)).
        Assert.Equal(R((p1 + p2 + p3) / (1200 + 400 + 2050)), V(s, "cost_per_workstation", "nrw", "NRW"));
        Assert.Equal(p1 / 1200, V(s, "cost_per_workstation", "provider", "P1"));
        Assert.Equal(3125m, V(s, "cost_per_workstation", "provider", "P2"));
        Assert.Equal(R(district05162 / (200 + 50 + 300 + 100)), V(s, "cost_per_workstation", "district", "05162"));
        Assert.Equal(R((p1 * 1000 / 1200 + district05162) / (1000 + 650)),
            V(s, "cost_per_workstation", "region", "051"));
        // Users: A max(1100, 420), B 210; C 300, D 120; E 2500, B 50.
        Assert.Equal(R((p1 + p2 + p3) / (1100 + 210 + 300 + 120 + 2500 + 50)), V(s, "cost_per_user", "nrw", "NRW"));
        Assert.Equal(R(p1 / (1100 + 210)), V(s, "cost_per_user", "provider", "P1"));
        // Inhabitants of served municipalities, each once (B is served by P1 and P3): F (10,000) is served by nobody.
        Assert.Equal(R((p1 + p2 + p3) / (600_000 + 50_000 + 30_000 + 20_000 + 1_000_000)),
            V(s, "cost_per_inhabitant", "nrw", "NRW"));
        Assert.Equal(p1 / (600_000 + 50_000), V(s, "cost_per_inhabitant", "provider", "P1"));
        Assert.Equal(R(district05162 / (50_000 + 30_000 + 20_000)), V(s, "cost_per_inhabitant", "district", "05162"));

        Assert.Equal(R((2_000_000m + 1_000_000m + 5_000_000m) / (p1 + p2 + p3)),
            V(s, "cost_share_by_cost_type", "cost_type", "personal"));
        Assert.Equal(R((120_000m + 50_000m + 250_000.50m) / (p1 + p2 + p3)),
            V(s, "cost_share_by_cost_type", "cost_type", "software"));
        Assert.Equal(R(2_000_000m / p1), V(s, "cost_share_by_cost_type", "provider_cost_type", "P1|personal"));
        Assert.Equal(R(1_400_000m / p3), V(s, "cost_share_by_cost_type", "provider_cost_type", "P3|extern"));
        Assert.Equal(R((3_000_000m + 1_200_000m + 6_400_000m) / (p1 + p2 + p3)),
            V(s, "cost_share_by_service", "service", "ARB"));
        Assert.Equal(R(250_000.50m / p3), V(s, "cost_share_by_service", "provider_service", "P3|FIN"));

        Assert.Equal(1200m / 20, V(s, "workstations_per_fte", "provider", "P1"));
        Assert.Equal(2050m / 50, V(s, "workstations_per_fte", "provider", "P3"));
        Assert.Equal(R((1200m + 400 + 2050) / (20 + 10 + 50)), V(s, "workstations_per_fte", "nrw", "NRW"));

        Assert.Equal((3_000_000m + 200_000m) / 1000, V(s, "charges_per_workstation", "municipality", A));
        Assert.Equal((500_000m + 20_000m) / (200 + 50), V(s, "charges_per_workstation", "municipality", B));
        Assert.Equal(R((500_000m + 20_000m + 900_000m + 60_000m + 250_000m) / (250 + 300 + 100)),
            V(s, "charges_per_workstation", "district", "05162"));
    }

    [Fact]
    public async Task Unit_costs_quartiles_concentration_consolidation_and_scale_match_the_hand_computed_figures()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        // Unit cost = cost of the service / its workstations: ARB P1 3,000,000/(1000+200), P2 1,200,000/(300+100), P3
        // 6,400,000/2000.
        Assert.Equal(3_000_000m / 1200, V(s, "unit_cost", "provider_service", "P1|ARB"));
        Assert.Equal(1_200_000m / 400, V(s, "unit_cost", "provider_service", "P2|ARB"));
        Assert.Equal(6_400_000m / 2000, V(s, "unit_cost", "provider_service", "P3|ARB"));
        var fin3 = R(250_000.50m / (500 + 50));
        Assert.Equal(fin3, V(s, "unit_cost", "provider_service", "P3|FIN"));

        // Sorted ARB unit costs 2500, 3000, 3200: quartile positions q*(n-1) with linear interpolation.
        Assert.Equal(2500m, V(s, "unit_cost_min", "service", "ARB"));
        Assert.Equal(2500m + (3000m - 2500m) * 0.5m, V(s, "unit_cost_q1", "service", "ARB"));
        Assert.Equal(3000m, V(s, "unit_cost_median", "service", "ARB"));
        Assert.Equal(3000m + (3200m - 3000m) * 0.5m, V(s, "unit_cost_q3", "service", "ARB"));
        Assert.Equal(3200m, V(s, "unit_cost_max", "service", "ARB"));
        // FIN: 120,000/400 = 300, P3 454.54..., 50,000/100 = 500.
        var finQ1 = 300m + (fin3 - 300m) * 0.5m;
        Assert.Equal(R(finQ1), V(s, "unit_cost_q1", "service", "FIN"));
        Assert.Equal(fin3, V(s, "unit_cost_median", "service", "FIN"));

        // HHI over service workstations: ARB 1200, 400, 2000 of 3600.
        decimal Sq(decimal x) => x * x;
        Assert.Equal(R(Sq(1200m * 100 / 3600) + Sq(400m * 100 / 3600) + Sq(2000m * 100 / 3600)),
            V(s, "hhi_workstations", "service", "ARB"));
        Assert.Equal(3m, V(s, "providers_per_service", "service", "ARB"));

        // Consolidation to the first quartile: ARB benchmark 2750; P2 1,200,000 - 2750*400, P3 6,400,000 - 2750*2000,
        // P1 below.
        Assert.Equal(1_200_000m - 2750m * 400, V(s, "consolidation_potential", "provider_service", "P2|ARB"));
        Assert.Equal(0m, V(s, "consolidation_potential", "provider_service", "P1|ARB"));
        var finP3 = 250_000.50m - finQ1 * 550;
        var finP2 = 50_000m - finQ1 * 100;
        Assert.Equal(R(1_200_000m - 2750m * 400 + 6_400_000m - 2750m * 2000),
            V(s, "consolidation_potential", "service", "ARB"));
        Assert.Equal(R(finP3 + finP2), V(s, "consolidation_potential", "service", "FIN"));
        Assert.Equal(R(6_400_000m - 2750m * 2000 + finP3), V(s, "consolidation_potential", "provider", "P3"));
        Assert.Equal(R(1_200_000m - 2750m * 400 + 6_400_000m - 2750m * 2000 + finP3 + finP2),
            V(s, "consolidation_potential", "nrw", "NRW"));

        // Scale: least squares of cost per workstation on workstations over the three providers.
        const decimal p3 = 5_000_000m + 1_400_000m + 250_000.50m;
        var (slope,
            r2) = LeastSquares([(1200, 3_120_000.0 / 1200), (400, 1_250_000.0 / 400), (2050, (double)(p3 / 2050))]);
        Assert.Equal(slope, (double)V(s, "scale_slope", "nrw", "NRW"), 1e-8);
        Assert.Equal(r2, (double)V(s, "scale_r2", "nrw", "NRW"), 1e-8);
        var (arbSlope, arbR2) = LeastSquares([(1200, 2500), (400, 3000), (2000, 3200)]);
        Assert.Equal(arbSlope, (double)V(s, "scale_slope", "service", "ARB"), 1e-8);
        Assert.Equal(arbR2, (double)V(s, "scale_r2", "service", "ARB"), 1e-8);
    }

    static (double Slope, double R2) LeastSquares((double X, double Y)[] p)
    {
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
        double sxy = p.Sum(q => (q.X - mx) * (q.Y - my)), sxx = p.Sum(q => (q.X - mx) * (q.X - mx)),
            syy = p.Sum(q => (q.Y - my) * (q.Y - my));
        return (sxy / sxx, sxy * sxy / (sxx * syy));
    }

    [Fact]
    public async Task OZG_and_coverage_KPIs_are_population_weighted_by_hand()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        // Three municipal OZG services. Online (>= 2): A 2/3, B 2/3 (10002 at 3 from P3 beats P1's 0), C 3/3, D 0/3, E
        // 3/3; F reported nothing.
        Assert.Equal(R(2m / 3), V(s, "ozg_online_rate", "municipality", A));
        Assert.Equal(R(2m / 3), V(s, "ozg_online_rate", "municipality", B));
        Assert.Equal(0m, V(s, "ozg_online_rate", "municipality", D));
        Assert.Null(s.Find("ozg_online_rate", "municipality", F));
        Assert.Equal(R((2m / 3 * 50_000 + 1m * 30_000 + 0m * 20_000) / (50_000 + 30_000 + 20_000)),
            V(s, "ozg_online_rate", "district", "05162"));
        Assert.Equal(R((2m / 3 * 600_000 + 2m / 3 * 50_000 + 1m * 30_000 + 0m * 20_000) / (600_000 + 50_000 + 30_000
            + 20_000)), V(s, "ozg_online_rate", "region", "051"));
        Assert.Equal(R((2m / 3 * 600_000 + 2m / 3 * 50_000 + 1m * 30_000 + 0m * 20_000 + 1m * 1_000_000) / 1_700_000),
            V(s, "ozg_online_rate", "nrw", "NRW"));
        // Compliant (>= 3): A 1/3, B 1/3, C 2/3, D 0, E 1/3.
        Assert.Equal(R((1m / 3 * 600_000 + 1m / 3 * 50_000 + 2m / 3 * 30_000 + 0m + 1m / 3 * 1_000_000) / 1_700_000),
            V(s, "ozg_compliant_rate", "nrw", "NRW"));

        // Area coverage over all six municipalities: 10001 online in A, B, C, E; 10003 in C, E.
        Assert.Equal(R(4m / 6), V(s, "ozg_area_coverage", "ozg_service", "10001"));
        Assert.Equal(R(2m / 6), V(s, "ozg_area_coverage", "ozg_service", "10003"));
        Assert.Null(s.Find("ozg_area_coverage", "ozg_service", "10004"));   // federal only
        Assert.Equal(R((4m + 4m) / (2 * 6)), V(s, "ozg_area_coverage", "ozg_topic", "Familie"));
        Assert.Equal(0m,
            V(s, "ozg_area_wide_services", "nrw", "NRW"));   // none is online in all six ("flächendeckend")

        Assert.Equal(R(5m / 6), V(s, "service_coverage_municipalities", "service", "ARB"));
        Assert.Equal(R(4m / 6), V(s, "service_coverage_municipalities", "service", "FIN"));
        Assert.Equal(R((600_000m + 30_000 + 1_000_000 + 50_000) / 1_710_000),
            V(s, "service_coverage_inhabitants", "service", "FIN"));
        Assert.Equal(2m, V(s, "providers_per_municipality", "municipality", B));
        Assert.Equal((1m + 2 + 1 + 1 + 1) / 5, V(s, "providers_per_municipality", "nrw", "NRW"));
        Assert.Equal(R(5m / 6), V(s, "municipalities_covered_share", "nrw", "NRW"));
        Assert.Equal(R(1_700_000m / 1_710_000), V(s, "inhabitants_covered_share", "nrw", "NRW"));
    }

    [Fact]
    public async Task Completeness_provisional_flags_and_trends_follow_the_returns()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        Assert.Equal(4m, V(s, "returns_expected", "nrw", "NRW"));
        Assert.Equal(3m, V(s, "returns_received", "nrw", "NRW"));
        Assert.Equal(3m / 4, V(s, "returns_completeness", "nrw", "NRW"));
        Assert.Equal(0.75m, s.Completeness);
        Assert.True(s.Provisional);   // below the default 0.9
        var nrw = s.Find("total_cost", "nrw", "NRW")!;
        Assert.Equal(0.75m, nrw.Completeness);
        Assert.True(nrw.Provisional);
        // A provider's own figures come from its own return; a district's from the providers registered for it:
        // 05162 has P1, P2 (reported) and P4 (not): 2/3; 05111 has P1 only.
        var own = s.Find("total_cost", "provider", "P1")!;
        Assert.Equal(1m, own.Completeness);
        Assert.False(own.Provisional);
        Assert.Equal(Math.Round(2m / 3, 4), s.Find("total_cost", "district", "05162")!.Completeness);
        Assert.Equal(Math.Round(2m / 3, 4), s.Find("ozg_online_rate", "municipality", C)!.Completeness);
        Assert.Equal(1m, s.Find("total_cost", "district", "05111")!.Completeness);
        Assert.False(s.Find("total_cost", "district", "05111")!.Provisional);

        // Trends: 2024 had P1 alone with 1,000,000.00 of cost.
        Assert.Equal(1_000_000.00m, nrw.PreviousValue);
        Assert.Equal(1_000_000.00m, s.Find("total_cost", "provider", "P1")!.PreviousValue);
        Assert.Equal(1_000_000.00m / 500, s.Find("cost_per_workstation", "provider", "P1")!.PreviousValue);
        Assert.Null(s.Find("total_cost", "provider", "P2")!.PreviousValue);
        Assert.Equal(s.Find("total_cost", "nrw", "NRW")!.Value - 1_000_000.00m, nrw.Change);

        // The threshold is configurable: at 0.7 the same completeness is final.
        await using var db2 = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db2);
        var (app2, s2) = await ComputeAsync(db2, ("Kpis:ProvisionalBelow", "0.7"));
        using var __ = app2;
        Assert.False(s2.Provisional);
        Assert.False(s2.Find("total_cost", "nrw", "NRW")!.Provisional);
    }

    [Fact]
    public async Task Total_cost_reconciles_to_the_cent_with_the_accepted_cost_lines_and_ignores_superseded_versions()
    {
        await using var db = await TestDatabase.CreateAsync();
        var fx = await KpiFixture.CreateAsync(db);
        var (app, s) = await ComputeAsync(db);
        using var _ = app;

        var accepted = await db.ScalarAsync<decimal>(
            "select sum(c.amount) from cost_facts c join current_versions v on v.id = c.return_version_id where "
                + "v.period = '2025'");
        var everything = await db.ScalarAsync<decimal>(
            "select sum(c.amount) from cost_facts c join return_versions v on v.id = c.return_version_id where "
                + "v.period = '2025'");
        Assert.Equal(accepted, V(s, "total_cost", "nrw", "NRW"));
        Assert.NotEqual(everything, accepted);   // the superseded version carries other amounts
        Assert.Equal(accepted, s.Of("total_cost", "provider").Sum(v => v.Value!.Value));
        // Districts hold attributed cost; every provider has workstations, so they add up to the total too.
        Assert.Equal(accepted, Math.Round(s.Of("total_cost", "district").Sum(v => v.Value!.Value), 2));
        Assert.DoesNotContain(s.ReturnVersions, v => v.ReturnVersionId == fx.P1Superseded);
        var used = s.ReturnVersions.Select(v => v.ReturnVersionId).ToList();
        Assert.Equal(3, used.Count);
        Assert.Equal(0,
            await db.ScalarAsync<int>(
                $"select count(*) from return_versions where id = any(array[{string.Join(',', used)}]::bigint[]) and "
                    + $"status <> 'accepted'"));
    }

    [Fact]
    public async Task The_same_input_reuses_the_snapshot_and_a_new_accepted_return_gives_a_new_one()
    {
        await using var db = await TestDatabase.CreateAsync();
        var fx = await KpiFixture.CreateAsync(db);
        using var app = TestApp.Build(db);
        var engine = app.Services.GetRequiredService<KpiEngine>();

        var first = await engine.ComputeAsync("2025");
        var again = await engine.ComputeAsync("2025");
        Assert.False(first.Reused);
        Assert.True(again.Reused);
        Assert.Equal(first.SnapshotId, again.SnapshotId);
        Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from kpi_snapshots where period = '2025'"));

        // P2 resubmits: the old version is superseded, the new one accepted with more cost.
        await KpiFixture.Exec(db, $"update return_versions set status = 'superseded' where id = {fx.P2v2025}");
        var v2 = await KpiFixture.VersionAsync(db, "P2", "2025", "accepted", 10);
        await KpiFixture.Cost(db, v2, ("ARB", "personal", 1_500_000m, "C5"));
        var third = await engine.ComputeAsync("2025");
        Assert.False(third.Reused);
        Assert.NotEqual(first.SnapshotId, third.SnapshotId);
        var s = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(third.SnapshotId, KpiScope.Nrw))!;
        Assert.Equal(1_500_000m, s.ValueOf("total_cost", "provider", "P2"));
        Assert.Contains(s.ReturnVersions, v => v.ReturnVersionId == v2 && v.ProviderCode == "P2" && v.Version == 2);
        Assert.Equal(third.SnapshotId, await app.Services.GetRequiredService<SnapshotReader>().LatestAsync("2025"));
    }
}
