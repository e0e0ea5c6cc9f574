using Reporting.Delivery;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

public sealed class SubscriptionSenderTests : IAsyncLifetime
{
    TestDatabase db = null!;
    readonly string jobs = Directory.CreateTempSubdirectory("sub-jobs-").FullName;

    /// <summary>
    /// Stands in for the integrator's wiring (KPI snapshot -> charts and workbook): records what it was asked.
    /// </summary>
    sealed class RecordingSource : IExecutiveReportSource
    {
        public List<(string Id, long Snapshot)> Calls { get; } = [];
        public Task<ExecutiveReport> BuildAsync(JobDefinition s, long snapshotId, CancellationToken ct)
        {
            Calls.Add((s.Id, snapshotId));
            return Task.FromResult(new ExecutiveReport
            {
                ReportTitle = "Kennzahlenbericht", ScopeLabel = s.Scope == "nrw" ? "NRW" : "Kreis Lindenau",
                    PeriodLabel = "2025", SnapshotId = snapshotId,
                Workbook = MailFile.Xlsx("k.xlsx", [1, 2, 3]),
            });
        }
    }

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        await using var cmd = db.DataSource.CreateCommand("""
            insert into periods (period, starts_on, ends_on, deadline, closed) values
              ('2024', '2024-01-01', '2024-12-31', '2025-03-31', true),
              ('2025', '2025-01-01', '2025-12-31', '2026-03-31', false);
            insert into kpi_snapshots (period, return_version_ids, returns_expected, returns_received, completeness,
              catalogue_hash, input_hash) values
              ('2024', '{}', 10, 10, 1.0, 'c', 'a'), ('2025', '{}', 10, 6, 0.6, 'c', 'b'), 
              ('2025', '{}', 10, 9, 0.9, 'c', 'd');
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Directory.Delete(jobs, recursive: true);
    }

    static JobDefinition Board => new()
    {
        Id = "vorstand", Kind = JobKinds.Subscription, Cron = "0 8 1 * *", Report = "kennzahlen", Scope = "nrw",
            Period = "last-closed",
        Recipients = [new("Vorstand", "vorstand@example.org"), new("Geschäftsstelle", "gs@example.org")],
    };

    static JobDefinition Lindenau => new()
    {
        Id = "lindenau", Kind = JobKinds.Subscription, Trigger = "new-data", Report = "kennzahlen",
            Scope = "district=05870", Period = "current",
        MinCompleteness = 0.8m, Recipients = [new("Landrätin", "landraetin@example.org")],
    };

    IHost Host(RecordingSource? source)
        => TestApp.Build(db, b => { if (source is not null) b.Services.AddSingleton<IExecutiveReportSource>(source); },
        ("Paths:Jobs", jobs), ("Logging:LogLevel:Default", "Warning"));

    [Fact]
    public async Task A_scheduled_subscription_mails_each_recipient_the_latest_snapshot_of_its_period_once_per_run()
    {
        var source = new RecordingSource();
        using var host = Host(source);
        var sender = host.Services.GetRequiredService<SubscriptionSender>();

        var outcome = await sender.SendScheduledAsync(Board, new DateOnly(2026, 5, 1), default);
        await sender.SendScheduledAsync(Board, new DateOnly(2026, 5, 1), default);   // a retry of the same run

        Assert.Equal("2024", outcome.Period);
        var snapshot2024 = await db.ScalarAsync<long>("select id from kpi_snapshots where period = '2024'");
        Assert.Equal(snapshot2024, outcome.SnapshotId);
        Assert.Equal(2, outcome.DeliveryIds.Count);
        Assert.Equal("gs@example.org vorstand@example.org",
            await db.ScalarAsync<string>(
                $"select string_agg(recipient_address, ' ' order by recipient_address) from deliveries where "
                    + $"snapshot_id = {snapshot2024} and subscription_id = 'vorstand'"));
        Assert.Equal("Kennzahlenbericht 2025 – NRW",
            await db.ScalarAsync<string>("select min(subject) from deliveries"));

        await sender.SendScheduledAsync(Board, new DateOnly(2026, 6, 1), default);   // next month's run mails again
        Assert.Equal(4, await db.ScalarAsync<int>("select count(*) from deliveries"));
    }

    [Fact]
    public async Task A_new_data_subscription_waits_for_its_minimum_completeness_and_sends_each_snapshot_once()
    {
        var source = new RecordingSource();
        using var host = Host(source);
        var sender = host.Services.GetRequiredService<SubscriptionSender>();
        var low = await db.ScalarAsync<long>("select id from kpi_snapshots where completeness = 0.6");
        var high = await db.ScalarAsync<long>("select id from kpi_snapshots where completeness = 0.9");
        var today = new DateOnly(2025, 11, 28);

        // The 60 % snapshot while it is the period's latest: below the minimum, nothing sent.
        await db.ScalarAsync<int>(
            $"with u as (update kpi_snapshots set created_at = now() - interval '1 day' where id = {high} returning "
                + $"1) select count(*)::int from u");
        var tooEarly = Assert.Single(await sender.SendForNewSnapshotAsync([Lindenau, Board], low, today, default));
        Assert.Empty(tooEarly.DeliveryIds);
        Assert.Contains("below the minimum", tooEarly.Note);
        Assert.Equal(0, await db.ScalarAsync<int>("select count(*) from deliveries"));
        await db.ScalarAsync<int>(
            $"with u as (update kpi_snapshots set created_at = now() + interval '1 day' where id = {high} returning "
                + $"1) select count(*)::int from u");
        // Once the 90 % snapshot is there, the older one is no news: its late job sends nothing.
        Assert.Contains("replaced", Assert.Single(
            await sender.SendForNewSnapshotAsync([Lindenau with { MinCompleteness = 0 }], low, today, default)).Note);

        await sender.SendForNewSnapshotAsync([Lindenau, Board], high, today, default);
        await sender.SendForNewSnapshotAsync([Lindenau, Board], high, today, default);

        Assert.Equal([("lindenau", high)], source.Calls);   // the second time the keys exist: not even rendered again
        Assert.Equal(1,
            await db.ScalarAsync<int>(
                $"select count(*) from deliveries where snapshot_id = {high} and recipient_address = "
                    + $"'landraetin@example.org'"));
        Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from deliveries"));
    }

    [Fact]
    public void The_app_renders_executive_reports_with_the_dashboard_renderer()
    {
        using var host = Host(null);

        Assert.True(host.Services.GetRequiredService<SubscriptionSender>().IsWired);
        Assert.IsType<RenderedExecutiveReports>(host.Services.GetRequiredService<IExecutiveReportSource>());
    }
}
