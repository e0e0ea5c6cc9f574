using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Reporting.Scheduling;

/// <summary>
/// Makes Hangfire's recurring jobs match the files in jobs/: added, updated, and removed when the file is gone
/// or disabled. Recurring jobs that came from files carry the id prefix "file:", so jobs added any other way
/// (code, dashboard) are left alone.
/// </summary>
public sealed class JobFileSync(JobFileLoader loader, IRecurringJobManager recurring, JobStorage storage, ILogger<JobFileSync> logger)
{
    public const string Prefix = "file:";

    public sealed record Result(IReadOnlyList<string> AddedOrUpdated, IReadOnlyList<string> Removed, IReadOnlyList<JobDefinition> Definitions);

    public async Task<Result> SyncAsync(CancellationToken ct = default)
    {
        var definitions = await loader.LoadAsync(ct);   // throws JobFileException naming the file(s) before anything changes
        var wanted = definitions.Where(d => d.IsRecurring).ToList();
        foreach (var d in wanted)
        {
            var options = new RecurringJobOptions { TimeZone = JobFileLoader.TryTimeZone(d.TimeZone)! };
            var id = d.Id;
            if (d.Kind == JobKinds.DeadlineCheck)
                recurring.AddOrUpdate<ScheduledJobs>(d.RecurringJobId, "default", j => j.DeadlineCheck(id, CancellationToken.None), d.Cron, options);
            else
                recurring.AddOrUpdate<ScheduledJobs>(d.RecurringJobId, "render", j => j.Subscription(id, CancellationToken.None), d.Cron, options);
        }

        using var connection = storage.GetConnection();
        var keep = wanted.Select(d => d.RecurringJobId).ToHashSet();
        var removed = connection.GetRecurringJobs()
            .Select(r => r.Id)
            .Where(id => id.StartsWith(Prefix, StringComparison.Ordinal) && !keep.Contains(id))
            .ToList();
        foreach (var id in removed) recurring.RemoveIfExists(id);

        logger.LogInformation("jobs/ synced: {Count} recurring job(s) from files, {Removed} removed", wanted.Count, removed.Count);
        return new Result(wanted.Select(d => d.RecurringJobId).ToList(), removed, definitions);
    }
}

/// <summary>Syncs jobs/ at start-up of every process that runs job workers; a bad file stops the start with its name.</summary>
sealed class JobFileSyncOnStart(JobFileSync sync) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => sync.SyncAsync(ct);
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
