using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Reporting.Kpis;

/// <summary>
/// The Hangfire job: compute (or reuse) a period's KPI snapshot. Idempotent, so a retry or a second enqueue after
/// the next accepted return is harmless; ingestion enqueues it after every accepted return (Enqueue below).
/// </summary>
public sealed class KpiSnapshotJob(KpiEngine engine, IBackgroundJobClient jobs, ILogger<KpiSnapshotJob> logger)
{
    public const string Queue = "kpis";

    [Queue(Queue)]
    [DisplayName("Kennzahlen {0} berechnen")]
    // Failures are database trouble (a lost connection, a deadlock), worth a few retries; a catalogue error fails at start-up.
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task<long> RunAsync(string period, CancellationToken ct)
    {
        var result = await engine.ComputeAsync(period, ct);
        logger.LogInformation("Kennzahlen {Period}: snapshot {Id} ({State})", period, result.SnapshotId, result.Reused ? "reused" : $"{result.Values} values");
        // Next in the chain: new-data subscriptions. Also for a reused snapshot (this may be the retry of a run that
        // stored it and died): their mails are keyed by snapshot and address, so nobody gets one twice.
        Scheduling.ScheduledJobs.EnqueueNewData(jobs, result.SnapshotId);
        return result.SnapshotId;
    }

    public static string Enqueue(IBackgroundJobClient jobs, string period) =>
        jobs.Enqueue<KpiSnapshotJob>(j => j.RunAsync(period, CancellationToken.None));
}
