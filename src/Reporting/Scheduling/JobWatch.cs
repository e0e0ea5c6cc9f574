using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Reporting.Logging;

namespace Reporting.Scheduling;

/// <summary>A job that failed: finally (state Failed) or with a retry scheduled after an exception.</summary>
public sealed record JobFailure(string JobId, string Job, string Step, string Exception, bool RetryScheduled)
{
    /// <summary>
    /// "job 42 KpiSnapshotJob.RunAsync (step kpis): InvalidOperationException: ... (retry scheduled)"
    /// </summary>
    public override string ToString() => OneLineConsoleFormatter.Flatten(
        $"job {JobId} {Job} (step {Step}): {Exception}" + (RetryScheduled ? " (retry scheduled)" : ""), 300);
}

/// <summary>Thrown by a waiting verb when jobs failed: the verb stops instead of waiting for retries.</summary>
public sealed class JobsFailedException(IReadOnlyList<JobFailure> failures)
    : Exception($"{failures.Count} job(s) failed: {string.Join("; ", failures)}")
{
    public IReadOnlyList<JobFailure> Failures { get; } = failures;
}

/// <summary>
/// Waits for Hangfire to run what a verb enqueued, and stops at the first failure since the watch began: a job in
/// state Failed, or one scheduled again after an exception (its history holds the Failed state that the retry
/// filter replaced). Failures of earlier runs are not counted.
/// </summary>
public sealed class JobWatch(JobStorage storage)
{
    // The storage stamps states with the database's clock; allow for a little skew against ours.
    readonly DateTime since = DateTime.UtcNow.AddSeconds(-2);

    /// <summary>Failures since the watch began, oldest first.</summary>
    public IReadOnlyList<JobFailure> Failures()
    {
        var monitor = storage.GetMonitoringApi();
        var failures = new List<(DateTime At, JobFailure Failure)>();
        foreach (var (id, job) in monitor.FailedJobs(0, 100))
            if (job.FailedAt is { } at && at >= since && monitor.JobDetails(id) is { } details)
                failures.Add((at, Describe(id, details, job.ExceptionType, job.ExceptionMessage, retry: false)));
        foreach (var (id, _) in monitor.ScheduledJobs(0, 500))
        {
            if (monitor.JobDetails(id) is not { } details) continue;
            var failed = details.History.Where(h => h.StateName == "Failed" && h.CreatedAt >= since)
                .MaxBy(h => h.CreatedAt);
            if (failed is not null)
                failures.Add((failed.CreatedAt, Describe(id, details, Get(failed.Data, "ExceptionType"),
                    Get(failed.Data, "ExceptionMessage"), retry: true)));
        }
        return failures.OrderBy(f => f.At).Select(f => f.Failure).ToList();
    }

    public void ThrowIfFailed()
    {
        if (Failures() is { Count: > 0 } failures) throw new JobsFailedException(failures);
    }

    /// <summary>
    /// Waits until nothing is enqueued, processing or scheduled (the chain has run): true; false after the timeout.
    /// Throws <see cref="JobsFailedException"/> as soon as a job has failed.
    /// </summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken ct)
    {
        var monitor = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + timeout;
        var idleChecks = 0;
        while (DateTime.UtcNow < deadline)
        {
            ThrowIfFailed();
            var st = monitor.GetStatistics();
            // Twice idle in a row: a job that finishes enqueues the next step in the same breath.
            idleChecks = st.Enqueued + st.Processing + st.Scheduled == 0 ? idleChecks + 1 : 0;
            if (idleChecks >= 2) return true;
            await Task.Delay(300, ct);
        }
        ThrowIfFailed();
        return false;
    }

    static string? Get(IDictionary<string, string>? data, string key) =>
        data is not null && data.TryGetValue(key, out var v) ? v : null;

    static JobFailure Describe(string id, JobDetailsDto details, string? type, string? message, bool retry)
    {
        var job = details.Job is { } j ? $"{j.Type.Name}.{j.Method.Name}" : "(job type not loadable)";
        var queue = details.History.Where(h => h.StateName == "Enqueued").Select(h => Get(h.Data, "Queue"))
            .FirstOrDefault(q => q is not null) ?? details.Job?.Queue ?? "default";
        var shortType = type is null ? "Exception" : type[(type.LastIndexOf('.') + 1)..];
        return new JobFailure(id, job, queue, $"{shortType}: {message}", retry);
    }
}
