using System.CommandLine;
using System.Text.Json;
using Reporting.Cli;
using Reporting.Scheduling;

namespace Reporting.Delivery;

/// <summary>
/// <c>send</c>: mails now, from this process (no worker needed). The mails are reserved in the delivery log like
/// any other, so a worker that picks up the same delivery later finds it sent and does nothing.
/// </summary>
public static class SendCommand
{
    public static Command Create()
    {
        var subscription = new Option<string?>("--subscription") { Description = "Send this subscription (its id in jobs/) now, for its period's latest KPI snapshot." };
        var resend = new Option<long?>("--resend") { Description = "Send delivery DELIVERY_ID again (new Message-ID, same content)." };
        var verdict = new Option<long?>("--verdict") { Description = "Mail the verdict on return version ID to its provider's address (accepted/rejected with the messages)." };
        var pending = new Option<bool>("--pending") { Description = "Send every delivery that is still waiting (e.g. after an SMTP outage, without a worker)." };
        var command = new Command("send", "Send mails now: a subscription, a re-send, a provider verdict, or what is pending.") { subscription, resend, verdict, pending };
        command.SetAction((p, ct) => Verbs.RunAsync(async (host, ct) =>
        {
            var deliveries = host.Get<DeliveryService>();
            var sent = new List<long>();
            if (p.GetValue(subscription) is { } id)
            {
                var definition = await host.Get<JobFileLoader>().GetAsync(id, ct);
                if (definition.Kind != JobKinds.Subscription) { Console.Error.WriteLine($"error: '{id}' is a {definition.Kind} job, not a subscription"); return 1; }
                var sender = host.Get<SubscriptionSender>();
                if (!sender.IsWired)
                {
                    Console.Error.WriteLine($"'{id}': executive mails need the KPI snapshot and the rendered workbook and chart; that chain is not wired in this build (issue #6, second half).");
                    return 3;
                }
                var outcome = await sender.SendScheduledAsync(definition, host.Get<Scheduling.Deadlines.DeadlineCheck>().Today(), ct);
                if (outcome.DeliveryIds.Count == 0) { Console.WriteLine($"{id}: nothing sent ({outcome.Note})"); return 0; }
                sent.AddRange(outcome.DeliveryIds);
            }
            if (p.GetValue(resend) is { } original) sent.Add(await deliveries.ResendAsync(original, ct));
            if (p.GetValue(verdict) is { } versionId) sent.Add(await QueueVerdictAsync(host, versionId, ct));
            if (p.GetValue(pending)) sent.AddRange(await deliveries.PendingAsync(ct));
            if (sent.Count == 0 && p.GetValue(subscription) is null) { Console.Error.WriteLine("send: name --subscription ID, --resend DELIVERY_ID, --verdict RETURN_VERSION_ID or --pending"); return 2; }

            var failed = 0;
            foreach (var deliveryId in sent.Distinct())
            {
                var d = (await deliveries.GetAsync(deliveryId, ct))!;
                try
                {
                    var outcome = await deliveries.SendAsync(deliveryId, ct);
                    Console.WriteLine($"delivery {deliveryId} to {d.RecipientAddress}: {outcome switch { DeliveryOutcome.Sent => "sent", DeliveryOutcome.AlreadySent => "already sent", _ => "uncertain, not sent again" }} ({d.Subject})");
                }
                catch (DeliveryFailedException e)
                {
                    failed++;
                    Console.Error.WriteLine($"delivery {deliveryId} to {d.RecipientAddress}: {e.Message} (kept as pending; a worker retries it, or run 'send --pending')");
                }
            }
            var transport = host.Get<MailTransport>();
            if (transport.Name == "pickup") Console.WriteLine($"mails written to {transport.PickupDirectory}");
            return failed == 0 ? 0 : 1;
        }, ct));
        return command;
    }

    static async Task<long> QueueVerdictAsync(CliHost host, long versionId, CancellationToken ct)
    {
        await using var cmd = host.Get<Npgsql.NpgsqlDataSource>().CreateCommand("""
            select rv.provider_code, p.name, p.email, rv.period, rv.status, rv.messages::text, u.file_name
            from return_versions rv join providers p on p.code = rv.provider_code join uploads u on u.id = rv.upload_id
            where rv.id = $1
            """);
        cmd.Parameters.Add(new() { Value = versionId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"return version {versionId} does not exist or has no provider");
        var status = r.GetString(4);
        if (status is not ("accepted" or "rejected" or "superseded")) throw new InvalidOperationException($"return version {versionId} is '{status}': no verdict yet");
        var email = r.IsDBNull(2) ? null : r.GetString(2);
        if (email is null || !MailComposer.IsValidAddress(email)) throw new InvalidOperationException($"provider {r.GetString(0)} has no valid mail address");
        var verdict = new ProviderVerdict
        {
            ProviderCode = r.GetString(0), ProviderName = r.GetString(1), Period = r.IsDBNull(3) ? "" : r.GetString(3),
            Accepted = status != "rejected", ReturnVersionId = versionId, FileName = r.GetString(6), Messages = MessageTexts(r.GetString(5)),
        };
        return await host.Get<DeliveryService>().QueueProviderVerdictAsync(verdict, new MailRecipient(verdict.ProviderName, email), ct);
    }

    /// <summary>The stored messages as lines: plain strings, or objects with sheet/cell/text (any casing).</summary>
    static List<string> MessageTexts(string json)
    {
        var list = new List<string>();
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return list;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.String) { list.Add(e.GetString()!); continue; }
            if (e.ValueKind != JsonValueKind.Object) continue;
            string Get(string name) => e.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v ? v.GetString()! : "";
            var where = Get("sheet").Length > 0 ? $"{Get("sheet")}!{Get("cell")}: " : "";
            list.Add(where + (Get("text").Length > 0 ? Get("text") : e.GetRawText()));
        }
        return list;
    }
}
