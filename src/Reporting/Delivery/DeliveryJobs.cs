using Hangfire;

namespace Reporting.Delivery;

/// <summary>
/// The mail queue's jobs. Idempotent by construction: Send sends one reserved delivery row, which knows whether it
/// was sent already (see DeliveryService); Verdict reserves under a key per return version and address. Retries
/// cover an SMTP outage of about two hours before the job is left 'Failed' in the console (the recipient argument
/// is only for the console's display name), where it can be requeued; the row stays 'pending', so nothing is lost.
/// </summary>
public sealed class DeliveryJobs(DeliveryService deliveries, ProviderVerdicts verdicts)
{
    [Queue("mail")]
    [JobDisplayName("Mail an {1} senden (Zustellung {0})")]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [5, 30, 60, 300, 600, 1200, 1800, 3600],
        OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Send(long deliveryId, string recipient, CancellationToken ct)
        => await deliveries.SendAsync(deliveryId, ct);

    /// <summary>After ingestion: the verdict mail to the provider (its sending is the Send job above).</summary>
    [Queue("mail")]
    [JobDisplayName("Ergebnis der Meldung {0} an den Dienstleister")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Verdict(long returnVersionId, CancellationToken ct)
        => await verdicts.QueueAsync(returnVersionId, ct);

    public static string EnqueueVerdict(IBackgroundJobClient jobs, long returnVersionId) =>
        jobs.Enqueue<DeliveryJobs>(j => j.Verdict(returnVersionId, CancellationToken.None));
}
