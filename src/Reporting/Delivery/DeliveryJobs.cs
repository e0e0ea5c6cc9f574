using Hangfire;

namespace Reporting.Delivery;

/// <summary>
/// The mail queue's job. Idempotent by construction: it sends one reserved delivery row, which knows whether it
/// was sent already (see DeliveryService). Retries cover an SMTP outage of about two hours before the job is
/// left 'Failed' in the console, where it can be requeued; the row stays 'pending', so nothing is lost.
/// </summary>
public sealed class DeliveryJobs(DeliveryService deliveries)
{
    [Queue("mail")]
    [JobDisplayName("Mail #{0} zustellen")]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [5, 30, 60, 300, 600, 1200, 1800, 3600], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Send(long deliveryId, CancellationToken ct) => await deliveries.SendAsync(deliveryId, ct);
}
