using System.Net;
using System.Text.RegularExpressions;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

/// <summary>The admin start page, the ledger's states and filters, and the re-send confirmation, over HTTP.</summary>
public sealed class AdminPagesTests
{
    [Fact]
    public async Task The_ledger_shows_missing_received_accepted_late_and_rejected_each_in_its_colour_as_its_legend()
    {
        await using var db = await TestDatabase.CreateAsync();
        await AdminSeed.LedgerAsync(db);
        await using var web = await WebTestHost.StartAsync(db);
        using var admin = await SignedInAsync(web);

        var html = await PageAsync(admin, "/admin/abgaben?zeitraum=2024");

        Assert.Equal(("accepted", false), Row(html, "AAAA"));
        Assert.Equal(("accepted", true), Row(html, "BBBB"));
        Assert.Equal(("rejected", true), Row(html, "CCCC"));
        Assert.Equal(("received", true), Row(html, "DDDD"));
        Assert.Equal(("missing", true), Row(html, "EEEE"));
        var legend = Regex.Match(html, "<ul class=\"legend\" id=\"ledger-legend\".*?</ul>", RegexOptions.Singleline)
            .Value;
        foreach (var (state, word) in new[] { ("missing", "fehlt"), ("received", "in Prüfung"),
            ("accepted", "angenommen"), ("rejected", "abgelehnt"), ("late", "verspätet") })
        {
            Assert.Contains($"<span class=\"state state-{state}\">{word}</span>", legend);
            Assert.Contains($"<span class=\"state state-{state}\">{word}</span>", html[legend.Length..]);
        }
        // An accepted return in time is not marked late anywhere in its row.
        Assert.DoesNotContain("state-late", RowHtml(html, "AAAA"));
        Assert.DoesNotContain("<tr class=\"late\"", html);

        // Each state's colour in the stylesheet differs from every other's.
        var css = await admin.GetStringAsync("/site.css");
        var colours = new[] { "missing", "received", "accepted", "rejected", "late" }
            .Select(s => Regex.Match(css, $@"\.state-{s} \{{[^}}]*\}}").Value).ToList();
        Assert.All(colours, Assert.NotEmpty);
        Assert.Equal(5, colours.Distinct().Count());
    }

    [Fact]
    public async Task The_ledger_filters_by_period_and_by_provider()
    {
        await using var db = await TestDatabase.CreateAsync();
        await AdminSeed.LedgerAsync(db);
        await using var web = await WebTestHost.StartAsync(db);
        using var admin = await SignedInAsync(web);

        var all = await PageAsync(admin, "/admin/abgaben");
        Assert.Equal(10, Regex.Matches(all, "<tr data-provider=").Count);
        var period = await PageAsync(admin, "/admin/abgaben?zeitraum=2099");
        Assert.Equal(5, Regex.Matches(period, "<tr data-provider=\"\\w+\" data-period=\"2099\"").Count);
        Assert.DoesNotContain("data-period=\"2024\"", period);
        var one = await PageAsync(admin, "/admin/abgaben?zeitraum=2024&dienstleister=CCCC");
        Assert.Single(Regex.Matches(one, "<tr data-provider="));
        Assert.Contains("<option value=\"CCCC\" selected", one);
        Assert.Contains("<option value=\"2024\" selected", one);
        Assert.Contains("Keine Einträge", await PageAsync(admin, "/admin/abgaben?dienstleister=XXXX"));
    }

    [Fact]
    public async Task The_start_page_shows_what_needs_attention_each_with_a_link_to_act_on_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await AdminSeed.LedgerAsync(db);
        await using var web = await WebTestHost.StartAsync(db);
        var (pending, uncertain) = await AdminSeed.DeliveriesAsync(web, db);
        var failed = AdminSeed.Jobs(web);
        using var admin = await SignedInAsync(web);

        var html = await PageAsync(admin, "/admin");

        Assert.Contains($"href=\"/hangfire/jobs/details/{failed}\"", html);   // the failed job
        Assert.Contains("href=\"/hangfire/jobs/failed\"", html);
        Assert.Contains("<strong>1</strong> fehlgeschlagene Aufträge", html);
        // Overdue: not accepted after the deadline (CCCC, DDDD, EEEE); a late acceptance (BBBB) is history.
        Assert.Contains("<strong>3</strong> überfällige Meldungen", html);
        foreach (var code in new[] { "CCCC", "DDDD", "EEEE" })
            Assert.Contains($"href=\"/admin/abgaben?zeitraum=2024&dienstleister={code}\"", html);
        Assert.DoesNotContain("dienstleister=BBBB", html);
        Assert.Contains($"href=\"/admin/zustellungen#delivery-{pending}\"", html);
        Assert.Contains($"href=\"/admin/zustellungen/{uncertain}/erneut-senden\"", html);
        Assert.DoesNotContain($"href=\"/admin/zustellungen/{pending}/erneut-senden\"", html);
        Assert.Contains("test-probe", html);                                   // the recurring job, never run
        Assert.Contains("noch nie", html);
        Assert.Contains("href=\"/hangfire/recurring\"", html);
        Assert.Contains("Noch keine Aufträge beendet", html);
    }

    [Fact]
    public async Task Re_sending_shows_a_confirmation_first_and_sends_only_when_confirmed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        var (pending, _) = await AdminSeed.DeliveriesAsync(web, db);
        using var signIn = new WebSignIn(web);
        await signIn.AdminAsync(WebTestHost.AdminPassword);

        var log = await PageAsync(signIn.Http, "/admin/zustellungen");
        Assert.Contains($"action=\"/admin/zustellungen/{pending}/erneut-senden\"", log);
        Assert.Matches($"<form method=\"get\" action=\"/admin/zustellungen/{pending}/erneut-senden\"", log);
        Assert.Matches($"<tr class=\"details\" id=\"delivery-{pending}-details\">\\s*<td colspan=\"8\">\\s*<details>",
            log);

        var confirm = await PageAsync(signIn.Http, $"/admin/zustellungen/{pending}/erneut-senden");
        Assert.Contains("dorf@anbieter.example.org", confirm);
        Assert.Contains("id=\"confirm-resend\"", confirm);
        Assert.Equal(0L, await db.ScalarAsync<long>($"select count(*) from deliveries where resend_of = {pending}"));

        var sent = await signIn.PostFormAsync($"/admin/zustellungen/{pending}/erneut-senden",
            $"/admin/zustellungen/{pending}/erneut-senden", ("erneutNummer", ResendNumber(confirm)));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal(1L, await db.ScalarAsync<long>($"select count(*) from deliveries where resend_of = {pending}"));
        Assert.Equal(HttpStatusCode.NotFound,
            (await signIn.Http.GetAsync("/admin/zustellungen/999999/erneut-senden")).StatusCode);
    }

    [Fact]
    public async Task A_re_send_confirmation_sends_one_mail_and_posted_again_is_a_German_409_that_sends_nothing()
    {
        using var smtp = netDumbster.smtp.Configuration.Configure().WithAddress(IPAddress.Loopback)
            .WithRandomPort().Build();
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true, ("Smtp:Host", "127.0.0.1"),
            ("Smtp:Port", smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Smtp:Security", "None"));
        var (pending, _) = await AdminSeed.DeliveriesAsync(web, db);
        await SentAsync(db, pending, 1);   // the seeded reminder itself, sent by the workers
        using var signIn = new WebSignIn(web);
        await signIn.AdminAsync(WebTestHost.AdminPassword);
        var page = $"/admin/zustellungen/{pending}/erneut-senden";
        var number = ResendNumber(await PageAsync(signIn.Http, page));

        var first = await signIn.PostFormAsync(page, page, ("erneutNummer", number));
        await SentAsync(db, pending, 2);
        var second = await signIn.PostFormAsync(page, page, ("erneutNummer", number));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bereits verwendet", await second.Content.ReadAsStringAsync());
        Assert.Equal(1L, await db.ScalarAsync<long>($"select count(*) from deliveries where resend_of = {pending}"));
        var monitoring = web.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        Assert.Equal(0, monitoring.EnqueuedCount("mail") + monitoring.ProcessingCount());
        Assert.Equal(2, MailsTo(smtp, "dorf@anbieter.example.org"));

        // A fresh confirmation page offers the next re-send, which goes out.
        var again = ResendNumber(await PageAsync(signIn.Http, page));
        Assert.NotEqual(number, again);
        Assert.Equal(HttpStatusCode.Redirect, (await signIn.PostFormAsync(page, page, ("erneutNummer", again)))
            .StatusCode);
        await SentAsync(db, pending, 3);
        Assert.Equal(3, MailsTo(smtp, "dorf@anbieter.example.org"));
    }

    /// <summary>
    /// Waits until <paramref name="count"/> deliveries of <paramref name="delivery"/> (itself and its re-sends) are
    /// sent (a worker sends them). The seed's other delivery may be sent too before it is marked uncertain.
    /// </summary>
    static async Task SentAsync(TestDatabase db, long delivery, int count)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await db.ScalarAsync<long>("select count(*) from deliveries where status = 'sent' "
                + $"and (id = {delivery} or resend_of = {delivery})") >= count) return;
            await Task.Delay(100);
        }
        Assert.Fail($"fewer than {count} deliveries sent after 60 s");
    }

    static int MailsTo(netDumbster.smtp.SimpleSmtpServer smtp, string address) =>
        smtp.ReceivedEmail.Count(m => m.Data.Contains(address, StringComparison.Ordinal));

    static string ResendNumber(string confirmPage) =>
        Regex.Match(confirmPage, "name=\"erneutNummer\" value=\"([0-9]+)\"").Groups[1].Value is { Length: > 0 } n
            ? n : throw new Xunit.Sdk.XunitException("the confirmation page carries no re-send number");

    internal static async Task<HttpClient> SignedInAsync(WebTestHost web)
    {
        var signIn = new WebSignIn(web);
        Assert.Equal(HttpStatusCode.Redirect, (await signIn.AdminAsync(WebTestHost.AdminPassword)).StatusCode);
        return signIn.Http;
    }

    /// <summary>The page as text, entities decoded (Razor writes umlauts as character references).</summary>
    static async Task<string> PageAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    static string RowHtml(string html, string provider) => Regex.Match(html,
        $"<tr data-provider=\"{provider}\".*?</tr>", RegexOptions.Singleline).Value;

    static (string State, bool Late) Row(string html, string provider)
    {
        var row = RowHtml(html, provider);
        var state = Regex.Match(row, "data-state=\"(\\w+)\"").Groups[1].Value;
        var chip = Regex.Match(row, "<span class=\"state state-(\\w+)\">").Groups[1].Value;
        Assert.Equal(state, chip);
        var late = row.Contains("data-late=\"true\"");
        Assert.Equal(late, row.Contains("<span class=\"state state-late\">verspätet</span>"));
        return (state, late);
    }
}
