using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Reporting.Scheduling;

/// <summary>
/// Makes Hangfire's recurring jobs match the files in jobs/: added, updated, and removed when the file is gone
/// or disabled. Recurring jobs that came from files carry the id prefix "file:", so jobs added any other way
/// (code, dashboard) are left alone. A file with a problem is left out: its job is removed, the problem is logged
/// once per sync and kept for /health and the admin console; every other file is synced.
/// </summary>
public sealed class JobFileSync(JobFileLoader loader, IRecurringJobManager recurring, JobStorage storage,
    ILogger<JobFileSync> logger)
{
    public const string Prefix = "file:";

    public sealed record Result(IReadOnlyList<string> AddedOrUpdated, IReadOnlyList<string> Removed,
        IReadOnlyList<JobDefinition> Definitions, IReadOnlyList<JobFileProblem> Problems);

    volatile IReadOnlyList<JobFileProblem>? lastProblems;

    /// <summary>The files the last sync in this process left out; null before the first sync.</summary>
    public IReadOnlyList<JobFileProblem>? LastProblems => lastProblems;

    public async Task<Result> SyncAsync(CancellationToken ct = default)
    {
        var scan = await loader.ScanAsync(ct);
        foreach (var p in scan.Problems)
            logger.LogWarning("Job file {File} left out, its job does not run: {Reason}", p.File, p.Reason);
        lastProblems = scan.Problems;
        var definitions = scan.Jobs;
        var wanted = definitions.Where(d => d.IsRecurring).ToList();
        foreach (var d in wanted)
        {
            var options = new RecurringJobOptions { TimeZone = JobFileLoader.TryTimeZone(d.TimeZone)! };
            var id = d.Id;
            if (d.Kind == JobKinds.DeadlineCheck)
                recurring.AddOrUpdate<ScheduledJobs>(d.RecurringJobId, "default", j
                    => j.DeadlineCheck(id, CancellationToken.None), d.Cron, options);
            else
                recurring.AddOrUpdate<ScheduledJobs>(d.RecurringJobId, "render", j
                    => j.Subscription(id, CancellationToken.None), d.Cron, options);
        }

        using var connection = storage.GetConnection();
        var keep = wanted.Select(d => d.RecurringJobId).ToHashSet();
        var removed = connection.GetRecurringJobs()
            .Select(r => r.Id)
            .Where(id => id.StartsWith(Prefix, StringComparison.Ordinal) && !keep.Contains(id))
            .ToList();
        foreach (var id in removed) recurring.RemoveIfExists(id);

        logger.LogInformation("jobs/ synced: {Count} recurring job(s), {Removed} removed, {Problems} left out",
            wanted.Count, removed.Count, scan.Problems.Count);
        return new Result(wanted.Select(d => d.RecurringJobId).ToList(), removed, definitions, scan.Problems);
    }
}

/// <summary>Syncs jobs/ at start-up of each process with job workers; a bad file is left out, never stops it.</summary>
sealed class JobFileSyncOnStart(JobFileSync sync) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => sync.SyncAsync(ct);
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
