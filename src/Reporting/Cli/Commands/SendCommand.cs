using System.CommandLine;
using Reporting.Cli;
using Reporting.Scheduling;
using Reporting.Delivery;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>send</c>: mails now, from this process (no worker needed). The mails are reserved in the delivery log like
/// any other, so a worker that picks up the same delivery later finds it sent and does nothing.
/// </summary>
public static class SendCommand
{
    public static Command Create()
    {
        var subscription = new Option<string?>(
            "--subscription") { Description = "Send this subscription (its id in jobs/) now, for its period's latest "
                + "KPI snapshot." };
        var resend = new Option<long?>(
            "--resend") { Description = "Send delivery DELIVERY_ID again (new Message-ID, same content)." };
        var verdict = new Option<long?>(
            "--verdict") { Description = "Mail the verdict on return version ID to its provider's address "
                + "(accepted/rejected with the messages)." };
        var pending = new Option<bool>(
            "--pending") { Description = "Send every delivery that is still waiting (e.g. after an SMTP outage, "
                + "without a worker)." };
        var command = new Command("send",
            "Send mails now: a subscription, a re-send, a provider verdict, or what is pending.") { subscription,
                resend, verdict, pending };
        command.SetAction((p, ct) => Verbs.RunAsync(async (host, ct) =>
        {
            var deliveries = host.Get<DeliveryService>();
            var sent = new List<long>();
            if (p.GetValue(subscription) is { } id)
            {
                // By hand, the demo region's subscriptions may be sent too; only the demo syncs them as schedules.
                var loader = host.Get<JobFileLoader>();
                loader.Include(host.Get<AppPaths>().DemoJobs);
                var definition = await loader.GetAsync(id, ct);
                if (definition.Kind != JobKinds.Subscription) { Console.Error.WriteLine(
                    $"error: '{id}' is a {definition.Kind} job, not a subscription"); return 1; }
                var sender = host.Get<SubscriptionSender>();
                if (!sender.IsWired)
                {
                    Console.Error.WriteLine(
                        $"'{id}': executive mails need the KPI snapshot and the rendered workbook and chart; no "
                            + $"report source is registered in this host.");
                    return 3;
                }
                var outcome = await sender.SendScheduledAsync(definition,
                    host.Get<Scheduling.Deadlines.DeadlineCheck>().Today(), ct);
                if (outcome.DeliveryIds.Count == 0) { Console.WriteLine(
                    $"{id}: nothing sent ({outcome.Note})"); return 0; }
                sent.AddRange(outcome.DeliveryIds);
            }
            if (p.GetValue(resend) is { } original) sent.Add(await deliveries.ResendAsync(original, ct));
            if (p.GetValue(verdict) is { } versionId)
                sent.Add(await host.Get<ProviderVerdicts>().QueueAsync(versionId, ct)
                    ?? throw new InvalidOperationException(
                        $"return version {versionId} has no verdict yet or its provider no valid mail address"));
            if (p.GetValue(pending)) sent.AddRange(await deliveries.PendingAsync(ct));
            if (sent.Count == 0 && p.GetValue(subscription) is null)
            {
                Console.Error.WriteLine(
                    "send: name --subscription ID, --resend DELIVERY_ID, --verdict RETURN_VERSION_ID or --pending");
                return 2;
            }

            var failed = 0;
            foreach (var deliveryId in sent.Distinct())
            {
                var d = (await deliveries.GetAsync(deliveryId, ct))!;
                try
                {
                    var outcome = await deliveries.SendAsync(deliveryId, ct);
                    var said = outcome switch
                    {
                        DeliveryOutcome.Sent => "sent",
                        DeliveryOutcome.AlreadySent => "already sent",
                        _ => "uncertain, not sent again",
                    };
                    Console.WriteLine($"delivery {deliveryId} to {d.RecipientAddress}: {said} ({d.Subject})");
                }
                catch (DeliveryFailedException e)
                {
                    failed++;
                    Console.Error.WriteLine(
                        $"delivery {deliveryId} to {d.RecipientAddress}: {e.Message} (kept as pending; a worker "
                            + $"retries it, or run 'send --pending')");
                }
            }
            var transport = host.Get<MailTransport>();
            if (transport.Name == "pickup") Console.WriteLine($"mails written to {transport.PickupDirectory}");
            return failed == 0 ? 0 : 1;
        }, ct));
        return command;
    }
}
