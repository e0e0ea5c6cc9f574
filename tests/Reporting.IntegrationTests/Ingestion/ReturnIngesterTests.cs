using Reporting.Ingestion;

namespace Reporting.IntegrationTests.Ingestion;

public sealed class ReturnIngesterTests
{
    [Fact]
    public async Task A_valid_return_is_accepted_as_version_1_with_all_its_facts()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var id = await s.ReceiveAsync();
        var parsed = s.Return("KDZA", "2025");

        var outcome = await s.Ingester.StoreAsync(id, parsed);

        Assert.Equal("accepted", outcome.Status);
        Assert.Equal(1, outcome.Version);
        Assert.Equal(parsed.Costs.Count + parsed.Supply.Count + parsed.Ozg.Count, await s.FactCountAsync(id));
        Assert.Equal(170_000m,
            await s.Db.ScalarAsync<decimal>($"select sum(amount) from cost_facts where return_version_id = {id}"));
        // Lineage: each fact keeps its sheet and cell.
        Assert.Equal("D6", await s.Db.ScalarAsync<string>(
            $"select cell from cost_facts where return_version_id = {id} and cost_type = 'hardware'"));
        Assert.Equal(id, await s.Db.ScalarAsync<long>(
            "select id from current_versions where provider_code = 'KDZA' and period = '2025'"));
    }

    [Fact]
    public async Task An_accepted_return_registers_the_districts_of_its_municipalities_as_served_by_the_provider()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var parsed = s.Return("KDZA", "2025");
        await s.Ingester.StoreAsync(await s.ReceiveAsync(), parsed);

        var expected = await s.Db.ScalarAsync<string>($"""
            select string_agg(distinct district_key, ',' order by district_key) from municipalities
            where ags in ('{string.Join("','", parsed.Supply.Select(l => l.Ags))}')
            """);
        Assert.Equal(expected, await s.Db.ScalarAsync<string>(
            "select string_agg(district_key, ',' order by district_key) from provider_districts where provider_code = "
                + "'KDZA'"));
    }

    [Fact]
    public async Task The_period_is_created_on_intake_with_a_deadline_of_31_March_of_the_following_year()
    {
        await using var s = await IntakeScenario.CreateAsync();
        await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", "2025"));

        Assert.Equal("2025-01-01|2025-12-31|2026-03-31",
            await s.Db.ScalarAsync<string>(
                "select starts_on || '|' || ends_on || '|' || deadline from periods where period = '2025'"));
    }

    [Fact]
    public async Task A_resubmission_supersedes_the_previous_version_and_only_its_facts_are_current()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var first = await s.ReceiveAsync();
        await s.Ingester.StoreAsync(first, s.Return("KDZA", "2025"));
        var second = await s.ReceiveAsync();
        var corrected = s.Return("KDZA", "2025", costFactor: 1.1m, ozgServices: 4);

        var outcome = await s.Ingester.StoreAsync(second, corrected);

        Assert.Equal(2, outcome.Version);
        Assert.Equal(first, outcome.SupersededVersionId);
        Assert.Equal($"superseded|{second}", await s.Db.ScalarAsync<string>(
            $"select status || '|' || superseded_by from return_versions where id = {first}"));
        Assert.Equal(187_000m, await s.Db.ScalarAsync<decimal>(
            "select sum(f.amount) from cost_facts f join current_versions v on v.id = f.return_version_id where "
                + "v.provider_code = 'KDZA'"));
        // The superseded version keeps its facts (history), and both versions keep who sent them and when.
        Assert.True(await s.FactCountAsync(first) > 0);
        Assert.Equal(2,
            await s.Db.ScalarAsync<int>(
                "select count(*) from return_versions where submitted_by = 'test' and submitted_at is not null and "
                    + "decided_at is not null"));

        var (previous, changes) = await new VersionDiff(s.Db.DataSource).CompareAsync(second);
        Assert.Equal(first, previous);
        Assert.Equal(3, changes.Count(c => c is { Fact: "cost", Change: "changed" }));
        Assert.Equal(3, changes.Count(c
            => c is { Fact: "ozg", Change: "removed" }));   // 3 municipalities x the dropped 5th service
        Assert.DoesNotContain(changes, c => c.Fact == "supply");
        Assert.Contains(changes, c => c is { Key: "ARB/hardware", Old: "50000.00", New: "55000.00" });
    }

    [Fact]
    public async Task A_retry_after_a_crash_in_the_middle_of_ingestion_yields_exactly_one_copy_of_the_facts()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var id = await s.ReceiveAsync();
        var parsed = s.Return("KDZA", "2025");
        long copiedBeforeCrash = 0;
        s.Ingester.AfterFactsLoaded = async conn =>
        {
            // The facts are in (inside the transaction) when the worker dies.
            await using var cmd = new Npgsql.NpgsqlCommand(
                $"select count(*) from ozg_facts where return_version_id = {id}", conn);
            copiedBeforeCrash = (long)(await cmd.ExecuteScalarAsync())!;
            throw new IOException("worker died");
        };

        await Assert.ThrowsAsync<IOException>(() => s.Ingester.StoreAsync(id, parsed));
        Assert.Equal(parsed.Ozg.Count, copiedBeforeCrash);
        Assert.Equal(0, await s.FactCountAsync(id));
        Assert.Equal("received", await s.Db.ScalarAsync<string>($"select status from return_versions where id = {id}"));

        s.Ingester.AfterFactsLoaded = null;
        var retry = await s.Ingester.StoreAsync(id, s.Return("KDZA", "2025"));

        Assert.Equal("accepted", retry.Status);
        Assert.Equal(parsed.Costs.Count + parsed.Supply.Count + parsed.Ozg.Count, await s.FactCountAsync(id));
    }

    [Fact]
    public async Task A_job_that_runs_twice_changes_nothing_the_second_time()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var id = await s.ReceiveAsync();
        await s.Ingester.StoreAsync(id, s.Return("KDZA", "2025"));
        var before = await s.Db.ScalarAsync<string>(
            $"select md5(row(rv.*)::text) from return_versions rv where id = {id}");

        var again = await s.Ingester.StoreAsync(id, s.Return("KDZA", "2025", costFactor: 2m));

        Assert.True(again.AlreadyDecided);
        Assert.Equal(before,
            await s.Db.ScalarAsync<string>($"select md5(row(rv.*)::text) from return_versions rv where id = {id}"));
        Assert.Equal(170_000m,
            await s.Db.ScalarAsync<decimal>($"select sum(amount) from cost_facts where return_version_id = {id}"));
    }

    [Fact]
    public async Task Concurrent_ingests_of_one_provider_and_period_are_numbered_one_after_the_other()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++) ids.Add(await s.ReceiveAsync());

        var outcomes = await Task.WhenAll(ids.Select((id, i)
            => Task.Run(() => s.Ingester.StoreAsync(id, s.Return("KDZA", "2025", costFactor: 1 + i / 100m)))));

        Assert.Equal([1, 2, 3, 4, 5, 6], outcomes.Select(o => o.Version!.Value).Order());
        Assert.Equal(1, await s.Db.ScalarAsync<int>(
            "select count(*) from current_versions where provider_code = 'KDZA' and period = '2025'"));
        Assert.Equal(5,
            await s.Db.ScalarAsync<int>("select count(*) from return_versions where status = 'superseded'"));
        // The current one is the last numbered, and every superseded one points at its successor.
        Assert.Equal(6, await s.Db.ScalarAsync<int>("select version from current_versions"));
        Assert.Equal(5, await s.Db.ScalarAsync<int>("""
            select count(*) from return_versions o join return_versions n on n.id = o.superseded_by
              where n.version = o.version + 1
            """));
    }

    [Fact]
    public async Task A_rejected_return_keeps_its_messages_and_loads_no_facts()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var id = await s.ReceiveAsync();
        var parsed = s.Return("KDZA", "2025");
        parsed.Messages.Add(new(Severity.Error, "Kosten", "D7", "-5", "L5-Betrag",
            "Der Betrag darf nicht negativ sein."));

        var outcome = await s.Ingester.StoreAsync(id, parsed);

        Assert.Equal("rejected", outcome.Status);
        Assert.Equal(0, await s.FactCountAsync(id));
        var stored = await s.Ingester.OutcomeAsync(id);
        var message = Assert.Single(stored.Messages);
        Assert.Equal(("Kosten", "D7", "L5-Betrag", Severity.Error),
            (message.Sheet, message.Cell, message.Rule, message.Severity));
        Assert.Equal("KDZA", await s.Db.ScalarAsync<string>(
            $"select r.provider_code from return_versions v join returns r on r.id = v.return_id where v.id = {id}"));
    }

    [Fact]
    public async Task A_return_naming_another_provider_than_the_uploader_is_rejected()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var id = await s.ReceiveAsync(provider: "ITVB");

        var outcome = await s.Ingester.StoreAsync(id, s.Return("KDZA", "2025"));

        Assert.Equal("rejected", outcome.Status);
        Assert.Equal("ITVB", outcome.ProviderCode);
        Assert.Contains(outcome.Messages, m => m.Rule == "L8-Zuordnung" && m.Value == "KDZA");
    }

    [Fact]
    public async Task Facts_the_schema_refuses_give_a_rejection_instead_of_a_failing_job()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var id = await s.ReceiveAsync();
        var parsed = s.Return("KDZA", "2025");
        parsed.Costs.Add(new("XXX", "personal", 1m, "Kosten", "D99"));   // no such service

        var outcome = await s.Ingester.StoreAsync(id, parsed);

        Assert.Equal("rejected", outcome.Status);
        Assert.Contains(outcome.Messages, m => m.Rule == "L8-Datenbank");
        Assert.Equal(0, await s.FactCountAsync(id));
    }

    [Fact]
    public async Task Cost_per_workstation_far_from_the_previous_year_gives_a_plausibility_warning()
    {
        await using var s = await IntakeScenario.CreateAsync();
        await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", "2024"));

        var similar = await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", "2025", costFactor: 1.2m));
        var doubled = await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", "2025", costFactor: 2m));

        Assert.DoesNotContain(similar.Messages, m => m.Rule == "L7-Kosten-je-Arbeitsplatz");
        var warning = Assert.Single(doubled.Messages, m => m.Rule == "L7-Kosten-je-Arbeitsplatz");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("+100,0 %", warning.Text);
        Assert.Equal("accepted", doubled.Status);
    }
}
