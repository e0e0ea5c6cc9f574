using Hangfire;

namespace Reporting.Delivery;

/// <summary>
/// The mail queue's job. Idempotent by construction: it sends one reserved delivery row, which knows whether it
/// was sent already (see DeliveryService). Retries cover an SMTP outage of about two hours before the job is
/// left 'Failed' in the console (the recipient argument is only for the console's display name), where it can be requeued; the row stays 'pending', so nothing is lost.
/// </summary>
public sealed class DeliveryJobs(DeliveryService deliveries)
{
    [Queue("mail")]
    [JobDisplayName("Mail an {1} senden (Zustellung {0})")]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [5, 30, 60, 300, 600, 1200, 1800, 3600], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Send(long deliveryId, string recipient, CancellationToken ct) => await deliveries.SendAsync(deliveryId, ct);
}
