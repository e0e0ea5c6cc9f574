using TrafficLight = Reporting.Reports.TrafficLight;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using netDumbster.smtp;
using Reporting.Delivery;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Delivery;

public sealed class DeliveryTests : IAsyncLifetime
{
    TestDatabase db = null!;
    readonly string dir = Directory.CreateTempSubdirectory("delivery-test-").FullName;
    readonly List<IHost> hosts = [];

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var h in hosts) { await h.StopAsync(); h.Dispose(); }
        await db.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    IHost Host(bool workers = false, params (string, string)[] settings)
    {
        var host = TestApp.Build(db, b => { if (workers) b.AddJobServer(); },
            [("Paths:Jobs", Path.Combine(dir, "no-jobs")), ("Scheduling:SchedulePollingSeconds", "1"),
                ("Scheduling:WorkerCount", "2"),
             ("Logging:LogLevel:Default", "Warning"), .. settings]);
        hosts.Add(host);
        return host;
    }

    static (string, string)[] Smtp(int port)
        => [("Smtp:Host", "127.0.0.1"), ("Smtp:Port", port.ToString()), ("Smtp:Security", "None")];
    (string, string)[] Pickup(string? folder = null)
        => [("Smtp:Host", ""), ("Smtp:PickupDirectory", folder ?? Path.Combine(dir, "mail"))];

    static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    static readonly byte[] Workbook = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("PK-Arbeitsmappe ", 400)));

    static ExecutiveReport Report(byte[]? workbook = null) => new()
    {
        ReportTitle = "Kennzahlenbericht", ScopeLabel = "Kreis Lindenau", PeriodLabel = "2025", Period = "2025",
        KeyFigures = [new("IT-Kosten je Einwohner", "41,20 €", "+3,1 %", TrafficLight.Yellow)],
        Charts = [new("kosten", Png, "Kosten nach Leistung")],
        Workbook = MailFile.Xlsx("Kennzahlen 2025 – Lindenau.xlsx", workbook ?? Workbook),
    };

    static DeliveryContext Context(string key = "test:1")
        => new("executive", key) { SubscriptionId = "kreis-lindenau", Period = "2025" };

    static MailRecipient Vorstand => new("Dr. Jürgen Müller", "vorstand@example.org");

    async Task<(string Status, int Tries, string? Error)> RowAsync(long id)
    {
        await using var cmd = db.DataSource.CreateCommand(
            "select status, tries, last_error from deliveries where id = $1");
        cmd.Parameters.Add(new() { Value = id });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2));
    }

    [Fact]
    public async Task An_executive_mail_arrives_over_SMTP_with_the_workbook_attached_and_the_chart_inline()
    {
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var host = Host(settings: Smtp(smtp.Configuration.Port));
        var deliveries = host.Services.GetRequiredService<DeliveryService>();

        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        Assert.Equal(1, host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi()
            .EnqueuedCount("mail"));   // the job a worker would run
        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(id));

        Assert.Equal(1, smtp.ReceivedEmailCount);
        // The test server keeps SMTP dot-stuffing ("." at a line start sent as ".."); a real receiver removes it.
        var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(smtp.ReceivedEmail[0].Data.Replace("\n..",
            "\n."))));
        Assert.Equal("Kennzahlenbericht 2025 – Kreis Lindenau", mail.Subject);
        Assert.Equal("Dr. Jürgen Müller", mail.To.Mailboxes.Single().Name);
        var attachment = Assert.IsType<MimePart>(Assert.Single(mail.Attachments));
        Assert.Equal("Kennzahlen 2025 – Lindenau.xlsx", attachment.FileName);
        Assert.Equal(Workbook, Decode(attachment));
        var chart = mail.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Equal(Png, Decode(chart));
        Assert.Contains($"cid:{chart.ContentId}", mail.HtmlBody);
        Assert.Contains("41,20 €", mail.TextBody);
        Assert.Contains("IT-Kosten je Einwohner", mail.HtmlBody);

        var row = (await deliveries.GetAsync(id))!;
        Assert.Equal("sent", row.Status);
        Assert.Equal(mail.MessageId, row.MessageId);
        Assert.Equal(SHA256.HashData(Workbook), row.AttachmentSha256);
        Assert.Equal("vorstand@example.org", row.RecipientAddress);
    }

    [Fact]
    public async Task An_SMTP_outage_ends_with_exactly_one_mail_after_Hangfire_retries()
    {
        // A free port with nobody listening: the server is "down".
        var port = FreePort();
        // The mail job's retries (5, 30, 60 s, ...) at 2 %: the test waits for the retry, not for the clock.
        var host = Host(workers: true, settings: [.. Smtp(port), ("Scheduling:RetryDelayPercent", "2")]);
        await host.StartAsync();
        var deliveries = host.Services.GetRequiredService<DeliveryService>();

        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context("outage:1"));
        var failed = await Eventually.WaitForAsync(() => RowAsync(id), r => r.Error is not null,
            "the first failed try");
        Assert.Equal("pending", failed.Status);
        Assert.Contains($"127.0.0.1:{port}", failed.Error);

        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(port).Build();
        var sent = await Eventually.WaitForAsync(() => RowAsync(id), r => r.Status == "sent",
            "the retry to deliver the mail");

        Assert.True(sent.Tries > 1, $"tries = {sent.Tries}");
        Assert.Equal(1, smtp.ReceivedEmailCount);
        Assert.Equal((await deliveries.GetAsync(id))!.MessageId,
            MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(smtp.ReceivedEmail[0].Data))).MessageId);
    }

    [Fact]
    public async Task Without_an_SMTP_host_mails_are_written_to_the_pickup_folder()
    {
        var deliveries = Host(settings: Pickup()).Services.GetRequiredService<DeliveryService>();

        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        await deliveries.SendAsync(id);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(dir, "mail"), "*.eml"));
        var mail = await MimeMessage.LoadAsync(file);
        Assert.Equal((await deliveries.GetAsync(id))!.MessageId, mail.MessageId);
        Assert.Equal("Kennzahlenbericht 2025 – Kreis Lindenau", mail.Subject);
        Assert.Single(mail.Attachments);
    }

    [Fact]
    public async Task An_unwritable_pickup_folder_gives_a_clear_error_and_the_mail_stays_pending()
    {
        var blocked = Path.Combine(dir, "blocked");
        await File.WriteAllTextAsync(blocked, "a file where the folder should be");
        var deliveries = Host(settings: Pickup(blocked)).Services.GetRequiredService<DeliveryService>();
        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());

        var e = await Assert.ThrowsAsync<DeliveryFailedException>(() => deliveries.SendAsync(id));

        Assert.Contains("pickup folder", e.Message);
        Assert.Contains(blocked, e.Message);
        var row = await RowAsync(id);
        Assert.Equal(("pending", 1), (row.Status, row.Tries));
        Assert.NotNull(row.Error);

        // The folder becomes writable: the same delivery goes out, nothing was lost.
        File.Delete(blocked);
        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(id));
        Assert.Single(Directory.GetFiles(blocked, "*.eml"));
        Assert.Equal(("sent", 2), ((await RowAsync(id)).Status, (await RowAsync(id)).Tries));
    }

    [Fact]
    public async Task A_full_disk_gives_a_clear_error_leaves_no_half_file_and_the_mail_goes_out_on_retry()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "full")).FullName;
        var host = Host(settings: Pickup(folder));
        var deliveries = host.Services.GetRequiredService<DeliveryService>();
        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        var messageId = await db.ScalarAsync<string>($"select message_id from deliveries where id = {id}");
        // /dev/full answers every write with ENOSPC, as a full disk does: the mail's temporary file leads there.
        File.CreateSymbolicLink(host.Services.GetRequiredService<MailTransport>().PickupPath(messageId) + ".tmp",
            "/dev/full");

        var e = await Assert.ThrowsAsync<DeliveryFailedException>(() => deliveries.SendAsync(id));

        Assert.Contains("pickup folder", e.Message);
        Assert.Contains("No space left on device", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        var row = await RowAsync(id);
        Assert.Equal(("pending", 1), (row.Status, row.Tries));
        Assert.Contains("No space left on device", row.Error);

        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(id));
        Assert.EndsWith(".eml", Assert.Single(Directory.GetFiles(folder)));
        Assert.Equal(("sent", 2), ((await RowAsync(id)).Status, (await RowAsync(id)).Tries));
    }

    [Fact]
    public async Task A_retry_after_a_crash_between_writing_and_logging_does_not_write_the_mail_twice()
    {
        var deliveries = Host(settings: Pickup()).Services.GetRequiredService<DeliveryService>();
        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        await deliveries.SendAsync(id);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(dir, "mail")));
        var written = File.GetLastWriteTimeUtc(file);
        // The crash: the file was written, the row still says 'sending'; Hangfire retries once the job's invisibility
        // timeout is over.
        await using (
            var cmd = db.DataSource.CreateCommand(
                $"update deliveries set status = 'sending', sent_at = null, sending_at = now() - interval '10 "
                    + $"minutes' where id = {id}")) await cmd.ExecuteNonQueryAsync();

        Assert.Equal(DeliveryOutcome.AlreadySent, await deliveries.SendAsync(id));

        Assert.Single(Directory.GetFiles(Path.Combine(dir, "mail")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        Assert.Equal(("sent", 1), ((await RowAsync(id)).Status, (await RowAsync(id)).Tries));
    }

    [Fact]
    public async Task An_SMTP_send_interrupted_before_it_was_logged_is_not_sent_again_automatically()
    {
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var deliveries = Host(settings: Smtp(smtp.Configuration.Port)).Services.GetRequiredService<DeliveryService>();
        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        await using (
            var cmd = db.DataSource.CreateCommand(
                $"update deliveries set status = 'sending', transport = 'smtp', tries = 1, sending_at = now() - "
                    + $"interval '10 minutes' where id = {id}")) await cmd.ExecuteNonQueryAsync();

        Assert.Equal(DeliveryOutcome.Uncertain, await deliveries.SendAsync(id));
        Assert.Equal(DeliveryOutcome.Uncertain, await deliveries.SendAsync(id));

        Assert.Equal(0, smtp.ReceivedEmailCount);
        Assert.Equal("uncertain", (await RowAsync(id)).Status);

        // The admin decides: a re-send goes out once, under a new Message-ID.
        var again = await deliveries.ResendAsync(id);
        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(again));
        Assert.Equal(1, smtp.ReceivedEmailCount);
        Assert.NotEqual((await deliveries.GetAsync(id))!.MessageId, (await deliveries.GetAsync(again))!.MessageId);
        Assert.Equal(id, (await deliveries.GetAsync(again))!.ResendOf);
    }

    [Fact]
    public async Task A_delivery_another_process_is_sending_right_now_is_left_to_it()
    {
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var deliveries = Host(settings: Smtp(smtp.Configuration.Port)).Services.GetRequiredService<DeliveryService>();
        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        await using (
            var cmd = db.DataSource.CreateCommand(
                $"update deliveries set status = 'sending', transport = 'smtp', tries = 1, sending_at = now() where "
                    + $"id = {id}")) await cmd.ExecuteNonQueryAsync();

        var e = await Assert.ThrowsAsync<DeliveryFailedException>(() => deliveries.SendAsync(id));

        Assert.Contains("being sent by another process", e.Message);
        Assert.Equal(0, smtp.ReceivedEmailCount);
        Assert.Equal(("sending", 1), ((await RowAsync(id)).Status, (await RowAsync(id)).Tries));
    }

    [Fact]
    public async Task Queuing_the_same_mail_twice_reserves_one_delivery()
    {
        var deliveries = Host(settings: Pickup()).Services.GetRequiredService<DeliveryService>();

        var first = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context("same"));
        var second = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context("same"));

        Assert.Equal(first, second);
        Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from deliveries"));
        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(first));
        Assert.Equal(DeliveryOutcome.AlreadySent, await deliveries.SendAsync(second));
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "mail")));
    }

    [Fact]
    public async Task A_workbook_over_the_size_budget_is_sent_as_a_download_link()
    {
        var deliveries = Host(settings: [.. Pickup(), ("Delivery:MaxAttachmentBytes", "1000"),
            ("Delivery:PublicBaseUrl", "https://kennzahlen.example.org/")])
            .Services.GetRequiredService<DeliveryService>();

        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        await deliveries.SendAsync(id);

        var row = (await deliveries.GetAsync(id))!;
        Assert.NotNull(row.DownloadId);
        var mail = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(Path.Combine(dir, "mail"))));
        Assert.Empty(mail.Attachments);
        Assert.Contains($"https://kennzahlen.example.org/downloads/{row.DownloadId}", mail.HtmlBody);
        var download = await deliveries.GetDownloadAsync(row.DownloadId!.Value);
        Assert.Equal(Workbook, download!.Value.Content);
        Assert.Equal(SHA256.HashData(Workbook), row.AttachmentSha256);
    }

    [Fact]
    public async Task A_resend_after_the_download_link_expired_carries_a_fresh_link_that_downloads()
    {
        var deliveries = Host(settings: [.. Pickup(), ("Delivery:MaxAttachmentBytes", "1000"),
            ("Delivery:PublicBaseUrl", "https://kennzahlen.example.org/"), ("Delivery:DownloadLinkDays", "30")])
            .Services.GetRequiredService<DeliveryService>();
        var id = await deliveries.QueueExecutiveAsync(Report(), Vorstand, Context());
        await deliveries.SendAsync(id);
        var expired = (await deliveries.GetAsync(id))!.DownloadId!.Value;
        await using (var cmd = db.DataSource.CreateCommand(
            $"update delivery_downloads set created_at = now() - interval '31 days' where id = '{expired}'"))
            await cmd.ExecuteNonQueryAsync();
        Assert.Null((await deliveries.GetDownloadAsync(expired))!.Value.Content);

        var again = await deliveries.ResendAsync(id);
        await deliveries.SendAsync(again);

        var resent = (await deliveries.GetAsync(again))!;
        var mails = new List<MimeMessage>();
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "mail"))) mails.Add(await MimeMessage.LoadAsync(f));
        var mail = Assert.Single(mails, m => m.MessageId == resent.MessageId);
        var link = System.Text.RegularExpressions.Regex.Match(mail.HtmlBody ?? "",
            "https://kennzahlen\\.example\\.org/downloads/([0-9a-f-]{36})");
        Assert.True(link.Success, mail.HtmlBody);
        Assert.Contains(link.Value, mail.TextBody);
        var linked = Guid.Parse(link.Groups[1].Value);
        Assert.Equal(resent.DownloadId, linked);
        Assert.Equal(Workbook, (await deliveries.GetDownloadAsync(linked))!.Value.Content);
        // The original mail's link stays what it was: expired.
        Assert.Null((await deliveries.GetDownloadAsync(expired))!.Value.Content);
    }

    [Fact]
    public async Task A_provider_verdict_carries_the_messages_and_the_feedback_workbook()
    {
        var deliveries = Host(settings: Pickup()).Services.GetRequiredService<DeliveryService>();
        var verdict = new ProviderVerdict
        {
            ProviderCode = "KDL", ProviderName = "KDN Lindenau", Period = "2025", Accepted = false,
                FileName = "meldung.xlsx",
            Messages = ["Kosten!C7: Betrag fehlt"],
                FeedbackWorkbook = MailFile.Xlsx("Rückmeldung meldung.xlsx", [1, 2, 3]),
        };

        var id = await deliveries.QueueProviderVerdictAsync(verdict,
            new MailRecipient("Frau Meier", "meier@kdl.example.org"));
        await deliveries.SendAsync(id);

        var mail = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(Path.Combine(dir, "mail"))));
        Assert.Equal("Ihre Meldung 2025 wurde abgelehnt – KDN Lindenau", mail.Subject);
        Assert.Contains("Kosten!C7: Betrag fehlt", mail.TextBody);
        Assert.Equal(new byte[] { 1, 2, 3 }, Decode(Assert.IsType<MimePart>(Assert.Single(mail.Attachments))));
    }

    static byte[] Decode(MimePart part)
    {
        using var ms = new MemoryStream();
        part.Content!.DecodeTo(ms);
        return ms.ToArray();
    }

    static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
