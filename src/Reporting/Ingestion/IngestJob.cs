using Hangfire;

namespace Reporting.Ingestion;

/// <summary>
/// The Hangfire job that ingests one received return version, on queue "ingest". Safe to run any number of
/// times (ReturnIngester decides each version exactly once), so retries and a second enqueue are harmless.
/// </summary>
public sealed class IngestJob(ReturnIngester ingester, IngestSlots slots, IBackgroundJobClient jobs)
{
    /// <summary>How the job console names the job: "Meldung KDZA-2025.xlsx (KDZA) einlesen".</summary>
    public static string Label(string? providerCode, string fileName) =>
        providerCode is null ? Path.GetFileName(fileName) : $"{Path.GetFileName(fileName)} ({providerCode})";

    // A crash or a lost connection is retried soon; a file that cannot be read fails for good after three tries
    // and stays 'received' in the ledger, visible to admins in the job console.
    [Queue("ingest")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Meldung {1} einlesen")]
    public async Task RunAsync(long versionId, string label, CancellationToken ct)
    {
        var outcome = await slots.RunAsync(() => ingester.IngestAsync(versionId, ct), ct);
        // The chain goes on only from here, so a failed ingest stops it and its retry (console) continues it. Also
        // after AlreadyDecided: a retry of a run that died after the commit must still start the next steps; they
        // are idempotent (a reused snapshot, mails keyed by version and address).
        if (outcome.Status == "accepted" && outcome.Period is { } period) Kpis.KpiSnapshotJob.Enqueue(jobs, period);
        if (outcome.Status is "accepted" or "rejected" && outcome.ProviderCode is not null) Delivery.DeliveryJobs.EnqueueVerdict(jobs, versionId);
    }
}
