using System.Net;
using System.Text;
using ClosedXML.Excel;
using MimeKit;
using netDumbster.smtp;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;
using Reporting.Kpis;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>
/// The whole chain through Hangfire on real PostgreSQL and real SMTP on loopback: POST /api/returns -> ingest ->
/// KPI snapshot -> new-data subscription -> executive mail, and the verdict mail to the provider.
/// </summary>
public sealed class ChainTests : IAsyncLifetime
{
    const string ProviderAddress = "meldung@kdz-auenland.example";
    readonly string dir = Directory.CreateTempSubdirectory("chain-").FullName;
    SimpleSmtpServer smtp = null!;
    ApiHost api = null!;

    public async Task InitializeAsync()
    {
        smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var jobs = Directory.CreateDirectory(Path.Combine(dir, "jobs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(jobs, "vorstand-neu.json"), """
            { "id": "vorstand-neu", "kind": "subscription", "report": "kennzahlen", "scope": "nrw", "period": "2025",
              "trigger": "new-data", "minCompleteness": 0,
              "recipients": [ { "name": "Vorstand", "address": "vorstand@example.org" } ] }
            """);
        api = await ApiHost.StartAsync(true, ("Paths:Jobs", jobs), ("Smtp:Host", "127.0.0.1"),
            ("Smtp:Port", smtp.Configuration.Port.ToString()),
            ("Smtp:Security", "None"), ("Logging:LogLevel:Default", "Warning"));
        await api.Scenario.Db.ScalarAsync<int>(
            $"with u as (update providers set email = '{ProviderAddress}' where code = 'KDZA' returning 1) select "
                + $"count(*)::int from u");
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        smtp.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    string Generate(Action<XLWorkbook>? change = null)
    {
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == "KDZA"), "2025", 42);
        var path = Path.Combine(dir, "KDZA-2025.xlsx");
        DemoReturnWriter.Write(g, reference.Catalog, path);
        if (change is not null)
        {
            using var wb = new XLWorkbook(path);
            change(wb);
            wb.Save();
        }
        return path;
    }

    async Task UploadAsync(string path)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", "KDZA-2025.xlsx");
        var response = await api.Client(api.KeyA).PostAsync("/api/returns", form);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK,
            $"POST /api/returns: {response.StatusCode}");   // 200: known bytes
    }

    /// <summary>
    /// A limit on waiting, not a speed assertion: a chain that stops fails the test instead of hanging it.
    /// </summary>
    async Task<List<MimeMessage>> MailsAsync(int count)
    {
        var until = DateTime.UtcNow.AddMinutes(3);
        while (smtp.ReceivedEmailCount < count && DateTime.UtcNow < until) await Task.Delay(200);
        return smtp.ReceivedEmail.Select(m
            => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data)))).ToList();
    }

    [Fact]
    public async Task An_upload_runs_the_chain_to_an_executive_mail_with_the_snapshots_workbook_and_a_verdict_mail()
    {
        var path = Generate();
        await UploadAsync(path);

        var mails = await MailsAsync(2);
        Assert.Equal(2, mails.Count);
        var verdict = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == ProviderAddress);
        Assert.Contains("angenommen", verdict.Subject);
        var executive = Assert.Single(mails, m => m.To.Mailboxes.Single().Address == "vorstand@example.org");
        Assert.Equal("Kennzahlenbericht 2025 – NRW", executive.Subject);
        Assert.NotNull(executive.HtmlBody);
        Assert.Contains(executive.BodyParts.OfType<MimePart>(), p => p.ContentType.MimeType == "image/png"
            && p.ContentId is not null);

        // The attachment is the dashboard of the snapshot the chain computed: its key cells hold the snapshot's values.
        var attachment = Assert.IsType<MimePart>(Assert.Single(executive.Attachments));
        Assert.Equal("IT-Dashboard-nrw-2025.xlsx", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(content.ToArray()));
        var snapshotId = await api.Scenario.Db.ScalarAsync<long>("select id from kpi_snapshots where period = '2025'");
        var snapshot = (await api.App.Services.GetRequiredService<SnapshotReader>().LoadAsync(snapshotId,
            KpiScope.Nrw))!;
        var overview = wb.Worksheet("Übersicht");
        Assert.Equal("IT-Gesamtkosten", overview.Cell("A5").GetString());
        Assert.Equal(snapshot.ValueOf("total_cost", "nrw", "NRW"), overview.Cell("B5").GetValue<decimal>());
        Assert.Equal(snapshot.ValueOf("cost_per_workstation", "nrw", "NRW")!.Value,
            overview.Cell("B6").GetValue<decimal>(), 2);
        Assert.Equal(snapshotId,
            await api.Scenario.Db.ScalarAsync<long>("select snapshot_id from deliveries where kind = 'executive'"));

        // Once more with the same bytes: recognised, the same snapshot, nobody gets a second mail.
        await UploadAsync(path);
        await WaitForIdleAsync();
        Assert.Equal(2, smtp.ReceivedEmailCount);
        Assert.Equal(1,
            await api.Scenario.Db.ScalarAsync<int>("select count(*) from kpi_snapshots where period = '2025'"));
    }

    [Fact]
    public async Task A_rejected_upload_gets_a_verdict_mail_with_the_feedback_workbook_and_no_executive_mail()
    {
        await UploadAsync(Generate(wb => wb.Worksheet("Versorgung").Cell(4, 1).Value = "99999999"));

        var verdict = Assert.Single(await MailsAsync(1));
        Assert.Equal(ProviderAddress, verdict.To.Mailboxes.Single().Address);
        Assert.Contains("abgelehnt", verdict.Subject);
        Assert.Contains("99999999", verdict.TextBody);
        var attachment = Assert.IsType<MimePart>(Assert.Single(verdict.Attachments));
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        content.Position = 0;
        using var wb = new XLWorkbook(content);
        Assert.True(wb.TryGetWorksheet(FeedbackWorkbook.MessagesSheet, out _));
        Assert.Equal("99999999", wb.Worksheet("Versorgung").Cell(4, 1).GetString());

        await WaitForIdleAsync();
        Assert.Equal(1, smtp.ReceivedEmailCount);
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<int>("select count(*) from kpi_snapshots"));
    }

    async Task WaitForIdleAsync()
    {
        var monitor = api.App.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var until = DateTime.UtcNow.AddMinutes(3);
        var idle = 0;
        while (idle < 3 && DateTime.UtcNow < until)
        {
            var s = monitor.GetStatistics();
            idle = s.Enqueued + s.Processing + s.Scheduled == 0 ? idle + 1 : 0;
            await Task.Delay(300);
        }
    }
}
