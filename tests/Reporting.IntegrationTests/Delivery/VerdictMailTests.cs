using System.Net;
using System.Text;
using MimeKit;
using netDumbster.smtp;
using Reporting.Delivery;
using Reporting.IntegrationTests.Ingestion;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Delivery;

/// <summary>The verdict mail on a file that is not a spreadsheet, through the real ingester and real SMTP.</summary>
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

    [Fact]
    public async Task A_feedback_workbook_over_the_attachment_limit_is_offered_as_a_link_and_not_attached()
    {
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        await using var s = await IntakeScenario.CreateAsync(("Smtp:Host", "127.0.0.1"),
            ("Smtp:Port", smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Smtp:Security", "None"), ("Delivery:MaxAttachmentBytes", "1000"),
            ("Delivery:PublicBaseUrl", "https://kennzahlen.example.org/"));
        await using (var cmd = s.Db.DataSource.CreateCommand(
            "update providers set email = 'meldung@kdza.example.org' where code = 'KDZA'"))
            await cmd.ExecuteNonQueryAsync();
        var receipt = await s.Store.StoreAsync(Guid.NewGuid().ToByteArray(), "Meldung 2025.xlsx", "KDZA", "test");
        var bad = s.Return("KDZA", "2025");
        bad.Messages.Add(new(Reporting.Ingestion.Severity.Error, "Versorgung", "B7", "0581100", "L4-AGS",
            "Der Gemeindeschlüssel ist unbekannt."));
        await s.Ingester.StoreAsync(receipt.VersionId, bad);

        var deliveryId = await s.App.Services.GetRequiredService<ProviderVerdicts>().QueueAsync(receipt.VersionId);
        var deliveries = s.App.Services.GetRequiredService<DeliveryService>();
        Assert.Equal(DeliveryOutcome.Sent, await deliveries.SendAsync(deliveryId!.Value));

        Assert.True(await s.Db.ScalarAsync<long>(
            $"select length(content) from return_feedback where return_version_id = {receipt.VersionId}") > 1000);
        Assert.Equal(1, smtp.ReceivedEmailCount);
        var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(smtp.ReceivedEmail[0].Data)));
        Assert.Empty(mail.Attachments);
        var link = $"https://kennzahlen.example.org/api/returns/{receipt.VersionId}/feedback";
        Assert.Contains("zu groß für einen Anhang", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody, StringComparison.Ordinal);
    }
}
