using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using static Reporting.IntegrationTests.Kpis.KpiFixture;

namespace Reporting.IntegrationTests.Kpis;

/// <summary>
/// The differencing attack: a provider reads the NRW aggregates before and after another provider's return and
/// subtracts. Five providers report (P1, P2, P3 of the fixture, P5, P6), then P7; the default minimum of 5 applies.
/// </summary>
public sealed class AnonymityTests
{
    [Fact]
    public async Task Subtracting_two_successive_NRW_totals_does_not_give_the_next_submitters_figure()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        await AddProvidersAsync(db, "P5", "P6", "P7");
        await ReportAsync(db, "P5", 700_000m);
        await ReportAsync(db, "P6", 800_000m);
        using var app = TestApp.Build(db);
        var engine = app.Services.GetRequiredService<KpiEngine>();
        var reader = app.Services.GetRequiredService<SnapshotReader>();

        var before = (await reader.LoadAsync(await engine.ComputeSnapshotAsync("2025"), KpiScope.Provider("P1")))!;
        await ReportAsync(db, "P7", 912_345.67m);
        var afterId = await engine.ComputeSnapshotAsync("2025");
        var after = (await reader.LoadAsync(afterId, KpiScope.Provider("P1")))!;
        var board = (await reader.LoadAsync(afterId, KpiScope.Nrw))!;

        var p7 = board.ValueOf("total_cost", "provider", "P7");
        Assert.Equal(912_345.67m, p7);
        Assert.NotNull(before.ValueOf("total_cost", "nrw", "NRW"));   // five providers: the aggregate is shown
        Assert.NotEqual(p7, after.ValueOf("total_cost", "nrw", "NRW") - before.ValueOf("total_cost", "nrw", "NRW"));
        // No aggregate row at all moves by one provider's contribution: the provider still sees the published one.
        foreach (var v in after.Values.Where(v => v.ProviderCode is null))
            Assert.Equal(before.Find(v.KpiId, v.Dimension, v.SliceKey)?.Value, v.Value);
        // The executive view is the latest snapshot, unchanged.
        Assert.Equal(before.ValueOf("total_cost", "nrw", "NRW") + 912_345.67m,
            board.ValueOf("total_cost", "nrw", "NRW"));
        // Its own figures are always the latest.
        Assert.Equal(3_120_000m, after.ValueOf("total_cost", "provider", "P1"));
        // Nor do the returns counted move: they are the published snapshot's, not the latest one's.
        Assert.Equal(before.ReturnsReceived, after.ReturnsReceived);
        Assert.Equal(board.ReturnsReceived - 1, after.ReturnsReceived);
    }

    [Fact]
    public async Task Unchanged_resubmissions_and_one_new_provider_give_no_two_publications_that_reveal_a_figure()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        await AddProvidersAsync(db, "P5", "P6", "P7");
        await ReportAsync(db, "P5", 700_000m);
        await ReportAsync(db, "P6", 800_000m);
        using var app = TestApp.Build(db);
        var engine = app.Services.GetRequiredService<KpiEngine>();
        var reader = app.Services.GetRequiredService<SnapshotReader>();
        var readers = new[] { "P1", "P2", "P3", "P4", "P5", "P6", "P7" };

        // The pipeline computes a snapshot after every accepted return: four providers re-submit their figures
        // unchanged, then P7 reports for the first time.
        var snapshots = new List<long> { await engine.ComputeSnapshotAsync("2025") };
        foreach (var code in new[] { "P2", "P3", "P5", "P6" })
        {
            await ResubmitUnchangedAsync(db, code);
            snapshots.Add(await engine.ComputeSnapshotAsync("2025"));
        }
        await ReportAsync(db, "P7", 4_477_217.32m);
        snapshots.Add(await engine.ComputeSnapshotAsync("2025"));
        Assert.Equal(snapshots.Count, snapshots.Distinct().Count());

        var board = (await reader.LoadAsync(snapshots[^1], KpiScope.Nrw))!;
        var figures = board.Of("total_cost", "provider").Select(v => v.Value!.Value).ToList();
        Assert.Contains(4_477_217.32m, figures);
        foreach (var code in readers)
        {
            var views = new List<KpiSnapshot>();
            foreach (var id in snapshots) views.Add((await reader.LoadAsync(id, KpiScope.Provider(code)))!);
            var totals = views.Select(v => v.ValueOf("total_cost", "nrw", "NRW")).OfType<decimal>().ToList();
            Assert.NotEmpty(totals);
            foreach (var a in totals)
                foreach (var b in totals)
                {
                    var diff = Math.Abs(a - b);
                    if (diff == 0) continue;
                    Assert.DoesNotContain(figures, x => Math.Abs(diff - x) <= 0.15m * x);
                }
            // Nothing moved for anybody, and the answer carries its publication's id and time, not the latest
            // snapshot's (which would tell when others reported).
            Assert.All(views, v => Assert.Equal((views[0].Id, views[0].CreatedAt), (v.Id, v.CreatedAt)));
            Assert.All(views, v => Assert.Equal(
                views[0].Values.Where(x => x.ProviderCode is null).Select(x => (x.KpiId, x.SliceKey, x.Value)),
                v.Values.Where(x => x.ProviderCode is null).Select(x => (x.KpiId, x.SliceKey, x.Value))));
        }
        Assert.NotEqual(snapshots[^1], (await reader.LoadAsync(snapshots[^1], KpiScope.Provider("P1")))!.Id);
        Assert.Equal(board.ValueOf("total_cost", "nrw", "NRW"),
            (await reader.LoadAsync(snapshots[0], KpiScope.Nrw))!.ValueOf("total_cost", "nrw", "NRW")
                + 4_477_217.32m);

        // Stored, not worked out on reading: a reader with another rule still sees what was published.
        using var other = TestApp.Build(db, settings: ("Kpis:AnonymityMinProviders", "1"));
        var again = (await other.Services.GetRequiredService<SnapshotReader>()
            .LoadAsync(snapshots[^1], KpiScope.Provider("P1")))!;
        var published = (await reader.LoadAsync(snapshots[^1], KpiScope.Provider("P1")))!;
        Assert.Equal(published.ValueOf("total_cost", "nrw", "NRW"), again.ValueOf("total_cost", "nrw", "NRW"));
        Assert.Equal(published.Id, again.Id);
    }

    [Fact]
    public async Task A_provider_below_the_anonymity_minimum_is_told_no_returns_counted()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        using var app = TestApp.Build(db);
        var engine = app.Services.GetRequiredService<KpiEngine>();
        var reader = app.Services.GetRequiredService<SnapshotReader>();

        var id = await engine.ComputeSnapshotAsync("2025");
        var seen = (await reader.LoadAsync(id, KpiScope.Provider("P1")))!;
        var board = (await reader.LoadAsync(id, KpiScope.Nrw))!;

        Assert.NotNull(board.ReturnsReceived);
        Assert.Null(seen.ReturnsReceived);
        Assert.Null(seen.ReturnsExpected);
        Assert.Null(seen.Completeness);
        using var json = System.Text.Json.JsonDocument.Parse(KpiExport.ToJson(seen));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("returnsReceived").ValueKind);
    }

    [Fact]
    public async Task An_aggregates_previous_value_is_the_previous_periods_published_one_so_it_isolates_no_return()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        await AddProvidersAsync(db, "P5", "P6", "P7");
        await ReportAsync(db, "P5", 700_000m);
        await ReportAsync(db, "P6", 800_000m);
        // 2024: P1 (fixture), P2, P3, P5, P6 report: five providers, published.
        foreach (var (code, cost) in new[] { ("P2", 600_000m), ("P3", 650_000m), ("P5", 690_000m), ("P6", 790_000m) })
            await ReportAsync(db, code, cost, period: "2024");
        using var app = TestApp.Build(db);
        var engine = app.Services.GetRequiredService<KpiEngine>();
        var reader = app.Services.GetRequiredService<SnapshotReader>();
        await engine.ComputeSnapshotAsync("2024");
        // One late 2024 return: the 2024 aggregates a provider sees stay the published ones.
        await ReportAsync(db, "P7", 876_543.21m, period: "2024");
        var latest2024 = await engine.ComputeSnapshotAsync("2024");
        var seen2024 = (await reader.LoadAsync(latest2024, KpiScope.Provider("P1")))!;

        // 2025's first snapshot is published, and its previous value must not be the unpublished 2024 one.
        var snapshot2025 = await engine.ComputeSnapshotAsync("2025");
        var seen2025 = (await reader.LoadAsync(snapshot2025, KpiScope.Provider("P1")))!;

        var nrw = seen2025.Find("total_cost", "nrw", "NRW")!;
        Assert.NotNull(nrw.Value);
        Assert.NotEqual(876_543.21m, nrw.PreviousValue - seen2024.ValueOf("total_cost", "nrw", "NRW"));
        foreach (var v in seen2025.Values.Where(v => v.ProviderCode is null))
            Assert.Equal(seen2024.Find(v.KpiId, v.Dimension, v.SliceKey)?.Value, v.PreviousValue);
        // Frozen at publication: more 2024 revisions later do not move the previous value of that 2025 snapshot.
        foreach (var (code, cost) in new[] { ("P2", 1m), ("P3", 2m), ("P5", 3m), ("P6", 4m), ("P7", 5m) })
            await ReportAsync(db, code, cost, revise: true, period: "2024");
        await engine.ComputeSnapshotAsync("2024");
        var again = (await reader.LoadAsync(snapshot2025, KpiScope.Provider("P1")))!;
        Assert.Equal(nrw.PreviousValue, again.Find("total_cost", "nrw", "NRW")!.PreviousValue);
        // The executive view keeps the engine's previous value (the previous period's latest snapshot).
        var board = (await reader.LoadAsync(snapshot2025, KpiScope.Nrw))!;
        Assert.Equal(seen2024.ValueOf("total_cost", "nrw", "NRW") + 876_543.21m,
            board.Find("total_cost", "nrw", "NRW")!.PreviousValue);
    }

    [Fact]
    public async Task Aggregates_move_on_for_a_provider_once_as_many_other_providers_as_the_minimum_have_changed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var fx = await KpiFixture.CreateAsync(db);
        await AddProvidersAsync(db, "P5", "P6", "P7");
        await ReportAsync(db, "P5", 700_000m);
        await ReportAsync(db, "P6", 800_000m);
        using var app = TestApp.Build(db);
        var engine = app.Services.GetRequiredService<KpiEngine>();
        var reader = app.Services.GetRequiredService<SnapshotReader>();
        await engine.ComputeSnapshotAsync("2025");

        // P7 arrives, P2, P3, P5, P6 revise: five others changed since the published snapshot.
        await ReportAsync(db, "P7", 900_000m);
        foreach (var (code, old) in new[] { ("P2", fx.P2v2025), ("P3", fx.P3v2025) })
        {
            await Exec(db, $"update return_versions set status = 'superseded' where id = {old}");
            var v = await VersionAsync(db, code, "2025", "accepted", 10);
            await Cost(db, v, ("ARB", "personal", 1_111_111m, "C5"));
        }
        await ReportAsync(db, "P5", 710_000m, revise: true);
        await ReportAsync(db, "P6", 810_000m, revise: true);
        var latest = await engine.ComputeSnapshotAsync("2025");

        var seen = (await reader.LoadAsync(latest, KpiScope.Provider("P1")))!;
        var board = (await reader.LoadAsync(latest, KpiScope.Nrw))!;
        Assert.Equal(board.ValueOf("total_cost", "nrw", "NRW"), seen.ValueOf("total_cost", "nrw", "NRW"));
    }

    [Fact]
    public async Task With_exactly_five_providers_no_comparison_a_provider_sees_is_one_providers_value()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        await AddProvidersAsync(db, "P5", "P6");
        await ReportAsync(db, "P5", 700_000m);
        await ReportAsync(db, "P6", 800_000m);
        using var app = TestApp.Build(db);
        var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        var reader = app.Services.GetRequiredService<SnapshotReader>();

        var board = (await reader.LoadAsync(id, KpiScope.Nrw))!;
        var seen = (await reader.LoadAsync(id, KpiScope.Provider("P1")))!;

        var individual = board.Values.Where(v => v.ProviderCode is not null && v.Value is not null).Select(v
            => v.Value!.Value).ToHashSet();
        Assert.Contains(board.Comparisons, c => c.Providers == 5);   // the board still sees min, median and max
        Assert.DoesNotContain(seen.Comparisons, c => individual.Contains(c.Min) || individual.Contains(c.Median)
            || individual.Contains(c.Max));
    }

    static async Task AddProvidersAsync(TestDatabase db, params string[] codes)
    {
        foreach (var code in codes)
        {
            await Exec(db, "insert into providers (code, name) values ($1, $2)", code, $"Anbieter {code}");
            await Exec(db, "insert into provider_districts (provider_code, district_key) values ($1, '05315')", code);
        }
    }

    /// <summary>
    /// A new accepted 2025 version of the provider's return with exactly the facts of its current one, which it
    /// supersedes (what a provider uploading the same workbook again leaves behind).
    /// </summary>
    static async Task ResubmitUnchangedAsync(TestDatabase db, string code)
    {
        await using var find = db.DataSource.CreateCommand("""
            select id, staff_fte from return_versions
            where provider_code = $1 and period = '2025' and status = 'accepted'
            """);
        find.Parameters.Add(new() { Value = code });
        long old;
        decimal? fte;
        await using (var r = await find.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync());
            (old, fte) = (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetDecimal(1));
        }
        await Exec(db, "update return_versions set status = 'superseded' where id = $1", old);
        var v = await VersionAsync(db, code, "2025", "accepted", fte);
        foreach (var table in new[] { "cost_facts", "supply_facts", "ozg_facts" })
        {
            await using var cols = db.DataSource.CreateCommand("""
                select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns
                where table_name = $1 and column_name <> 'return_version_id'
                """);
            cols.Parameters.Add(new() { Value = table });
            var list = (string)(await cols.ExecuteScalarAsync())!;
            await Exec(db, $"""
                insert into {table} (return_version_id, {list})
                select $1, {list} from {table} where return_version_id = $2
                """, v, old);
        }
    }

    /// <summary>
    /// An accepted return (2025 unless told) with one cost line and one supply line (Köln), superseding the last one
    /// when revised.
    /// </summary>
    static async Task ReportAsync(TestDatabase db, string code, decimal cost, bool revise = false,
        string period = "2025")
    {
        if (revise)
            await Exec(db, """
                update return_versions set status = 'superseded'
                where provider_code = $1 and status = 'accepted' and period = $2
                """, code, period);
        var v = await VersionAsync(db, code, period, "accepted", 10);
        await Cost(db, v, ("ARB", "personal", cost, "C5"));
        await Supply(db, v, (E, "ARB", 100, 100, 100_000m, 10));
    }
}
