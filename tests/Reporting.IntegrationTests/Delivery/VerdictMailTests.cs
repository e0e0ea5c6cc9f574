using System.Net;
using System.Text;
using MimeKit;
using netDumbster.smtp;
using Reporting.Delivery;
using Reporting.IntegrationTests.Ingestion;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Delivery;

/// <summary>The verdict mail on a file that is not a spreadsheet, through the real ingester and real SMTP.</summary>
[Collection(HangfireCollection.Name)]
public sealed class VerdictMailTests
{
    [Fact]
    public async Task A_file_that_is_not_a_spreadsheet_gets_one_sentence_that_says_so_and_no_feedback_workbook()
    {
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var s = await IntakeScenario.CreateAsync(("Smtp:Host", "127.0.0.1"),
            ("Smtp:Port", smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Smtp:Security", "None"));
        await using (var cmd = s.Db.DataSource.CreateCommand(
            "update providers set email = 'meldung@kdza.example.org' where code = 'KDZA'"))
            await cmd.ExecuteNonQueryAsync();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
        var receipt = await s.Store.StoreAsync(pdf, "Meldung 2025.pdf", "KDZA", "test");
        Assert.Equal("rejected", (await s.Ingester.IngestAsync(receipt.VersionId)).Status);

        var deliveryId = await s.App.Services.GetRequiredService<ProviderVerdicts>().QueueAsync(receipt.VersionId);
        var deliveries = s.App.Services.GetRequiredService<DeliveryService>();
        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(deliveryId!.Value));

        Assert.Equal(1, smtp.ReceivedEmailCount);
        var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(smtp.ReceivedEmail[0].Data)));
        Assert.Equal("Ihre Meldung wurde abgelehnt – KDZ Auenland", mail.Subject);
        Assert.Empty(mail.Attachments);
        var text = mail.TextBody;
        Assert.Contains("Ihre Datei „Meldung 2025.pdf“ (KDZ Auenland) ist keine Excel-Arbeitsmappe", text);
        Assert.DoesNotContain("!:", text);
        Assert.DoesNotContain("markierten Zellen", text);
        Assert.DoesNotContain("Zeitraum  ", text);
    }
}
