using System.CommandLine;
using Reporting.Cli;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>providers add|list|key|revoke</c>. add and key print the key alone on their last line, the only time it is shown.
/// </summary>
public static class ProvidersCommand
{
    public static Command Create()
    {
        var addCode = new Argument<string>(
            "CODE") { Description = "Provider code, e.g. KDZA (2-20 of A-Z, 0-9, _ and -)." };
        var name = new Option<string>("--name") { Description = "The provider's name.", Required = true };
        var email = new Option<string?>("--email") { Description = "Contact address." };
        var add = new Command("add", "Add a provider and print its API key (shown only this once).") { addCode, name,
            email };
        add.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var code = p.GetValue(addCode)!;
            var key = await host.Get<ProviderKeys>().AddAsync(code, p.GetValue(name)!, p.GetValue(email), ct);
            PrintKey(code, key);
            return 0;
        }, ct));

        var list = new Command("list", "List providers, one per line, starting with the code.");
        list.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            foreach (var x in await host.Get<ProviderKeys>().ListAsync(ct))
                Console.WriteLine(
                    $"{x.Code,-8} {x.Name,-36} {x.Email ?? "-",-28} key: "
                    + $"{(x.HasKey ? $"issued {x.KeyCreatedAt:yyyy-MM-dd HH:mm}" : "none")}"
                    + (x.Active ? "" : " (inactive)"));
            return 0;
        }, ct));

        var keyCode = new Argument<string>("CODE") { Description = "Provider code." };
        var key = new Command("key", "Issue a new API key (the old one stops working) and print it.") { keyCode };
        key.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var code = p.GetValue(keyCode)!;
            PrintKey(code, await host.Get<ProviderKeys>().IssueKeyAsync(code, ct));
            return 0;
        }, ct));

        var revokeCode = new Argument<string>("CODE") { Description = "Provider code." };
        var revoke = new Command("revoke", "Revoke the provider's API key without issuing a new one.") { revokeCode };
        revoke.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            await host.Get<ProviderKeys>().RevokeAsync(p.GetValue(revokeCode)!, ct);
            Console.WriteLine($"key of {p.GetValue(revokeCode)} revoked");
            return 0;
        }, ct));

        return new Command("providers", "Providers and their API keys (add, list, key, revoke).") { add, list, key,
            revoke };
    }

    static void PrintKey(string code, string key)
    {
        Console.WriteLine($"API key for {code} (shown only now; send it as 'Authorization: Bearer <key>'):");
        Console.WriteLine(key);
    }
}
