using TrafficLight = Reporting.Reports.TrafficLight;
using Microsoft.Extensions.Options;
using MimeKit;
using Reporting.Delivery;

namespace Reporting.Tests.Delivery;

public sealed class MailComposerTests
{
    static readonly MailComposer Composer = new(Options.Create(new SmtpOptions()));

    static ExecutiveReport Report(string scope = "Kreis Lindenau") => new()
    {
        ReportTitle = "Kennzahlenbericht", ScopeLabel = scope, PeriodLabel = "2025",
        KeyFigures = [new("IT-Kosten je Einwohner", "41,20 €", "+3,1 %", TrafficLight.Yellow),
            new("OZG-Reifegrad ≥ 3", "62 %", "+8 Pp.", TrafficLight.Green)],
        Charts = [new("kosten", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3], "Kosten")],
        Workbook = MailFile.Xlsx("Kennzahlen 2025 Lindenau.xlsx", [1, 2, 3, 4]),
    };

    [Fact]
    public void The_executive_subject_names_report_period_and_scope()
    {
        var m = Composer.Executive(Report(), new MailRecipient("Dr. Jürgen Müller", "vorstand@example.org"), null);

        Assert.Equal("Kennzahlenbericht 2025 – Kreis Lindenau", m.Subject);
        Assert.Equal("Dr. Jürgen Müller", m.To.Mailboxes.Single().Name);
        Assert.Contains("IT-Kosten je Einwohner", m.HtmlBody);
        Assert.Contains("41,20 €", m.TextBody);
        Assert.Single(m.Attachments);
    }

    [Fact]
    public void Line_breaks_from_data_cannot_add_headers()
    {
        var m = Composer.Executive(Report("Lindenau\r\nBcc: evil@example.org"),
            new MailRecipient("Eve\r\nBcc: evil@example.org", "vorstand@example.org"), null);
        using var raw = new MemoryStream();
        m.WriteTo(raw);
        var parsed = MimeMessage.Load(new MemoryStream(raw.ToArray()));

        Assert.Empty(parsed.Bcc);
        Assert.Single(parsed.To);
        Assert.DoesNotContain("\n", parsed.Subject!);
        Assert.Equal("Kennzahlenbericht 2025 – Lindenau Bcc: evil@example.org", parsed.Subject);
        Assert.DoesNotContain(parsed.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Values_from_data_are_HTML_encoded()
    {
        var report = Report() with { KeyFigures = [new("<script>alert(1)</script>", "1 & 2", "", TrafficLight.Red)] };

        var m = Composer.Executive(report, new MailRecipient("A", "a@example.org"), null);

        Assert.DoesNotContain("<script>", m.HtmlBody);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", m.HtmlBody);
        Assert.Contains("1 &amp; 2", m.HtmlBody);
    }

    [Fact]
    public void A_workbook_over_budget_becomes_a_link()
    {
        var m = Composer.Executive(Report(), new MailRecipient("A", "a@example.org"),
            "https://kennzahlen.example.org/downloads/abc");

        Assert.Empty(m.Attachments);
        Assert.Contains("https://kennzahlen.example.org/downloads/abc", m.HtmlBody);
        Assert.Contains("https://kennzahlen.example.org/downloads/abc", m.TextBody);
    }

    [Fact]
    public void An_attached_workbook_is_also_offered_as_a_download_link()
    {
        var m = Composer.Executive(Report(), new MailRecipient("A", "a@example.org"),
            "https://kennzahlen.example.org/downloads/abc", attached: true);

        Assert.Single(m.Attachments);
        Assert.Contains("liegt als Anhang bei", m.TextBody);
        Assert.Contains("https://kennzahlen.example.org/downloads/abc", m.HtmlBody);
        Assert.Contains("https://kennzahlen.example.org/downloads/abc", m.TextBody);
        Assert.DoesNotContain("zu groß", m.TextBody);
    }

    [Theory]
    [InlineData("vorstand@example.org", true)]
    [InlineData("jürgen@example.org", true)]
    [InlineData("vorstand@", false)]
    [InlineData("a@example.org, b@example.org", false)]
    [InlineData("Vorstand <a@example.org>", false)]
    [InlineData("a@example.org\r\nBcc: b@example.org", false)]
    [InlineData("", false)]
    public void Addresses_are_validated(string address, bool valid)
        => Assert.Equal(valid, MailComposer.IsValidAddress(address));

    [Fact]
    public void A_rejected_return_lists_every_message()
    {
        var m = Composer.ProviderVerdict(new ProviderVerdict
        {
            ProviderCode = "KDL", ProviderName = "KDN Lindenau", Period = "2025", Accepted = false,
                FileName = "meldung.xlsx",
            Messages = ["Kosten!C7: Betrag fehlt", "Versorgung!B12: unbekannter AGS '05870999'"],
            FeedbackWorkbook = MailFile.Xlsx("Rückmeldung.xlsx", [9, 9]),
        }, new MailRecipient("Frau Meier", "meier@kdl.example.org"));

        Assert.Equal("Ihre Meldung 2025 wurde abgelehnt – KDN Lindenau", m.Subject);
        Assert.Contains("Kosten!C7: Betrag fehlt", m.TextBody);
        Assert.Contains("unbekannter AGS &#39;05870999&#39;", m.HtmlBody);
        Assert.Equal("Rückmeldung.xlsx", Assert.Single(m.Attachments).ContentDisposition!.FileName);
    }
}
