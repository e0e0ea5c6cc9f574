using System.ComponentModel;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace Reporting.Kpis;

/// <summary>
/// The Hangfire job: compute (or reuse) a period's KPI snapshot. Idempotent, so a retry or a second enqueue after
/// the next accepted return is harmless. It returns the snapshot's id; the pipeline (Pipeline/ReturnPipeline) queues
/// it after every accepted return and decides what follows.
/// </summary>
public sealed class KpiSnapshotJob(KpiEngine engine, ILogger<KpiSnapshotJob> logger)
{
    public const string Queue = "kpis";

    [Queue(Queue)]
    [DisplayName("Kennzahlen {0} berechnen")]
    // Failures are database trouble (a lost connection, a deadlock), worth a few retries; a catalogue error fails at
    // start-up.
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task<long> RunAsync(string period, CancellationToken ct)
    {
        var result = await engine.ComputeAsync(period, ct);
        logger.LogInformation("Kennzahlen {Period}: snapshot {Id} ({State})", period, result.SnapshotId, result.Reused
            ? "reused" : $"{result.Values} values");
        return result.SnapshotId;
    }

    public static string Enqueue(IBackgroundJobClient jobs, string period) =>
        jobs.Enqueue<KpiSnapshotJob>(j => j.RunAsync(period, CancellationToken.None));
}
