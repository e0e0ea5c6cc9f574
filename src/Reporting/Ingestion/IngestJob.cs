using Hangfire;
using Reporting.Database;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <summary>What an ingest run decided, as the pipeline needs it (small: Hangfire stores it with the job).</summary>
public sealed record IngestedReturn(long VersionId, string Status, string? ProviderCode, string? Period);

/// <summary>
/// The Hangfire job that ingests one received return version, on queue "ingest". Safe to run any number of
/// times (ReturnIngester decides each version exactly once), so retries and a second enqueue are harmless.
/// It returns its outcome; what comes next is decided by the pipeline (Pipeline/ReturnPipeline).
/// </summary>
public sealed class IngestJob(ReturnIngester ingester, IngestSlots slots)
{
    /// <summary>How the job console names the job: "Meldung KDZA-2025.xlsx (KDZA) einlesen".</summary>
    public static string Label(string? providerCode, string fileName) =>
        providerCode is null ? Path.GetFileName(fileName) : $"{Path.GetFileName(fileName)} ({providerCode})";

    // A crash or a lost connection is retried soon; a file that cannot be read fails for good after three tries
    // and stays 'received' in the ledger, visible to admins in the job console.
    [Queue("ingest")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Meldung {1} einlesen")]
    [WaitsBeforeWork]   // for an ingest slot (IngestSlots)
    public async Task<IngestedReturn> RunAsync(long versionId, string label, CancellationToken ct)
    {
        var outcome = await slots.RunAsync(() => ingester.IngestAsync(versionId, ct), ct);
        return new IngestedReturn(versionId, outcome.Status, outcome.ProviderCode, outcome.Period);
    }

    public static string Enqueue(IBackgroundJobClient jobs, long versionId, string label) =>
        jobs.Enqueue<IngestJob>(j => j.RunAsync(versionId, label, CancellationToken.None));
}
