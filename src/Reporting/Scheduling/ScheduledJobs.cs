using Hangfire;
using Reporting.Scheduling.Deadlines;

namespace Reporting.Scheduling;

/// <summary>
/// The jobs that jobs/ files schedule. Each is idempotent: the mails they queue are keyed (see DeliveryService),
/// so a retry or an extra run sends nothing twice. Display names are what the job console shows.
/// </summary>
public sealed class ScheduledJobs(JobFileLoader files, DeadlineCheck deadlines, SubscriptionSender subscriptions)
{
    /// <summary>Only reads the database and queues mails: a few quick retries cover a database restart.</summary>
    [JobDisplayName("Fristen prüfen und Erinnerungen senden ({0})")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600])]
    public async Task DeadlineCheck(string fileId, CancellationToken ct)
    {
        await files.GetAsync(fileId, ct);   // the file must still exist and be valid
        await deadlines.RunAsync(deadlines.Today(), ct);
    }

    /// <summary>
    /// Rendering is deterministic: a failure that repeats three times needs a person, not more retries.
    /// </summary>
    [JobDisplayName("Abonnement {0} versenden")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public async Task Subscription(string fileId, CancellationToken ct)
    {
        var s = await files.GetAsync(fileId, ct);
        await subscriptions.SendScheduledAsync(s, deadlines.Today(), ct);
    }

    /// <summary>Enqueued by the chain after a KPI snapshot was computed (KpiSnapshotJob).</summary>
    [Queue("render")]
    [JobDisplayName("Neue Daten: Abonnements für Snapshot {0} versenden")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    public async Task NewData(long snapshotId, CancellationToken ct) =>
        await subscriptions.SendForNewSnapshotAsync(await files.LoadAsync(ct), snapshotId, deadlines.Today(), ct);

    public static string EnqueueNewData(IBackgroundJobClient jobs, long snapshotId) =>
        jobs.Enqueue<ScheduledJobs>(j => j.NewData(snapshotId, CancellationToken.None));
}
