using Microsoft.Extensions.Logging;
using Npgsql;
using Reporting.Delivery;
using Reporting.Kpis;

namespace Reporting.Scheduling;

/// <summary>
/// The seam to the KPI and rendering side: builds the executive report (key figures, chart PNG, workbook) of a
/// subscription for a snapshot. The app's is <see cref="RenderedExecutiveReports"/> (the dashboard renderer); a
/// host without one cannot send subscriptions and says so.
/// </summary>
public interface IExecutiveReportSource
{
    Task<ExecutiveReport> BuildAsync(JobDefinition subscription, long snapshotId, CancellationToken ct);
}

/// <summary>Raised where the chain (snapshot -> render) is not connected yet.</summary>
public sealed class NotWiredException(string message) : InvalidOperationException(message);

/// <summary>
/// Sends a subscription: resolves its period and the latest snapshot, builds the report, queues one mail per recipient.
/// </summary>
public sealed class SubscriptionSender(NpgsqlDataSource db, DeliveryService deliveries, IServiceProvider services,
    ILogger<SubscriptionSender> logger)
{
    public sealed record Outcome(string Id, string? Period, long? SnapshotId, decimal? Completeness,
        IReadOnlyList<long> DeliveryIds, string Note);

    public bool IsWired => services.GetService<IExecutiveReportSource>() is not null;

    /// <summary>
    /// A scheduled run: the dedupe key carries the run's day, so a retry of the same run mails nobody twice.
    /// </summary>
    public async Task<Outcome> SendScheduledAsync(JobDefinition s, DateOnly today, CancellationToken ct)
    {
        var period = await PeriodRules.ResolveAsync(db, s.Period, today, ct);
        if (period is null) return new(s.Id, null, null, null, [], $"no period matches '{s.Period}'");
        var snapshot = await LatestSnapshotAsync(period, ct);
        if (snapshot is null) return new(s.Id, period, null, null, [], $"no KPI snapshot for {period} yet");
        return await SendAsync(s, period, snapshot.Value.Id, snapshot.Value.Completeness, $"run:{today:yyyy-MM-dd}",
            ct);
    }

    /// <summary>
    /// Sends a subscription for its period's latest snapshot once per snapshot, whatever its trigger (the demo):
    /// the key is the snapshot and the occasion, so running it again with the same data sends nothing.
    /// </summary>
    public async Task<Outcome> SendOncePerSnapshotAsync(JobDefinition s, string occasion, DateOnly today,
        CancellationToken ct)
    {
        var period = await PeriodRules.ResolveAsync(db, s.Period, today, ct);
        if (period is null) return new(s.Id, null, null, null, [], $"no period matches '{s.Period}'");
        var snapshot = await LatestSnapshotAsync(period, ct);
        if (snapshot is null) return new(s.Id, period, null, null, [], $"no KPI snapshot for {period} yet");
        return await SendAsync(s, period, snapshot.Value.Id, snapshot.Value.Completeness, occasion, ct);
    }

    /// <summary>
    /// After new data (a new snapshot): every enabled new-data subscription whose period rule names the
    /// snapshot's period and whose minimum completeness is reached. Keyed by snapshot: each snapshot once. A
    /// snapshot that a newer one of its period has replaced before this ran is no news any more: its successor's
    /// job sends (so recipients do not get two reports when returns arrive close together).
    /// </summary>
    public async Task<IReadOnlyList<Outcome>> SendForNewSnapshotAsync(IEnumerable<JobDefinition> definitions,
        long snapshotId, DateOnly today, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select s.period, s.completeness,
                   exists (select 1 from kpi_snapshots n where n.period = s.period
                     and (n.created_at, n.id) > (s.created_at, s.id))
            from kpi_snapshots s where s.id = $1
            """);
        cmd.Parameters.Add(new() { Value = snapshotId });
        string period; decimal completeness; bool replaced;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) throw new InvalidOperationException(
                $"KPI snapshot {snapshotId} does not exist");
            (period, completeness, replaced) = (r.GetString(0), r.GetDecimal(1), r.GetBoolean(2));
        }
        var outcomes = new List<Outcome>();
        foreach (var s in definitions.Where(d => d.Enabled && d.Kind == JobKinds.Subscription
            && d.Trigger == JobDefinition.Triggers.NewData))
        {
            if (await PeriodRules.ResolveAsync(db, s.Period, today, ct) != period) continue;
            if (replaced)
            {
                outcomes.Add(new(s.Id, period, snapshotId, completeness, [],
                    $"snapshot {snapshotId} was replaced by a newer one of {period}; that one is sent"));
                continue;
            }
            if (completeness < s.MinCompleteness)
            {
                outcomes.Add(new(s.Id, period, snapshotId, completeness, [],
                    $"completeness {completeness:P0} below the minimum {s.MinCompleteness:P0}; nothing sent"));
                continue;
            }
            outcomes.Add(await SendAsync(s, period, snapshotId, completeness, "new-data", ct));
        }
        return outcomes;
    }

    async Task<Outcome> SendAsync(JobDefinition s, string period, long snapshotId, decimal completeness,
        string occasion, CancellationToken ct)
    {
        var source = services.GetService<IExecutiveReportSource>()
            ?? throw new NotWiredException($"subscription '{s.Id}': executive reports are not wired in this host");
        // One key per subscription, snapshot, occasion and recipient: a retry, a reused snapshot or a second run finds
        // the rows and sends nothing; when every recipient has one already, not even the dashboard is rendered again.
        var keys = s.Recipients.Select(to
            => (To: to,
                Key: $"sub:{s.Id}:{period}:snapshot:{snapshotId}:{occasion}:{to.Address.Trim().ToLowerInvariant()}"))
                    .ToList();
        var existing = await ExistingAsync(keys.Select(k => k.Key).ToArray(), ct);
        if (existing.Count == keys.Count)
            return new(s.Id, period, snapshotId, completeness, [],
                $"already queued for snapshot {snapshotId} ({occasion}); nothing sent again");
        var report = await source.BuildAsync(s, snapshotId, ct);
        if (s.Format == "html") report = report with { Workbook = null };
        var ids = new List<long>();
        foreach (var (to, key) in keys.Where(k => !existing.Contains(k.Key)))
            ids.Add(await deliveries.QueueExecutiveAsync(report, to,
                new DeliveryContext("executive", key) { SubscriptionId = s.Id, SnapshotId = snapshotId,
                    Period = period }, ct));
        logger.LogInformation("Subscription {Id}: {Count} mail(s) queued for {Period}, snapshot {Snapshot}", s.Id,
            ids.Count, period, snapshotId);
        return new(s.Id, period, snapshotId, completeness, ids, "");
    }

    async Task<HashSet<string>> ExistingAsync(string[] keys, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select dedupe_key from deliveries where dedupe_key = any($1)");
        cmd.Parameters.Add(new() { Value = keys });
        var found = new HashSet<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) found.Add(r.GetString(0));
        return found;
    }

    async Task<(long Id, decimal Completeness)?> LatestSnapshotAsync(string period, CancellationToken ct)
    {
        if (await SnapshotReader.LatestAsync(db, period, ct) is not { } id) return null;
        await using var cmd = db.CreateCommand("select completeness from kpi_snapshots where id = $1");
        cmd.Parameters.Add(new() { Value = id });
        return await cmd.ExecuteScalarAsync(ct) is decimal completeness ? (id, completeness) : null;
    }
}
