using TrafficLight = Reporting.Reports.TrafficLight;
using Microsoft.Extensions.Options;
using MimeKit;
using Reporting.Delivery;
using System.Net;
using Reporting.Scheduling;

namespace Reporting.Tests.Delivery;

public sealed class BriefingMailTests
{
    static readonly MailComposer Composer = new(Options.Create(new SmtpOptions()),
        Options.Create(new DeliveryOptions { PublicBaseUrl = "https://kennzahlen.example.org",
            ContactLine = "Fragen: Geschäftsstelle, 0211 123456" }));

    static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    static ExecutiveReport Report() => new()
    {
        ReportTitle = "Kennzahlenbericht", ScopeLabel = "Kreis Lindenau", PeriodLabel = "2025", Period = "2025",
        KeyFigures = [new("IT-Kosten je IT-Arbeitsplatz", "3.594 €", "↑ +7,5 % ggü. 2024", TrafficLight.Yellow)],
        Findings = ["IT-Kosten je IT-Arbeitsplatz (Kreis Lindenau): 3.594 €, 15,9 % über dem Referenzwert.",
            "Datenstand 01.12.2026: landesweit liegen 3 von 3 erwarteten Meldungen vor (100,0 %).",
            "Die Werte für 2025 sind endgültig: alle erwarteten Meldungen sind angenommen."],
        LightLegend = ["IT-Kosten je IT-Arbeitsplatz: grün bis 3.100 €, gelb bis 3.720 €, rot darüber"],
        DataStatus = "Datenstand 01.12.2026 · Snapshot 4 · 3 von 3 Meldungen (100,0 %) · endgültig",
        Charts = [new("kostenentwicklung", Png, "IT-Gesamtkosten"), new("ozg", Png, "OZG-Onlinequote")],
        Workbook = MailFile.Xlsx("IT-Dashboard-district-05870-2025.xlsx", new byte[200_000]),
    };

    [Fact]
    public void The_salutation_is_the_configured_form_of_address_never_the_display_name()
    {
        var to = new MailRecipient("Landrätin Kreis Lindenau", "landraetin@lindenau.example.org")
            { Salutation = "Sehr geehrte Frau Landrätin Berger," };

        var m = Composer.Executive(Report(), to, null);
        var plain = Composer.Executive(Report(), new MailRecipient("Landrätin Kreis Lindenau", "l@example.org"), null);

        Assert.Contains("Sehr geehrte Frau Landrätin Berger,", m.TextBody);
        Assert.Contains("Sehr geehrte Frau Landrätin Berger,", WebUtility.HtmlDecode(m.HtmlBody));
        Assert.Contains("Guten Tag,", plain.TextBody);
        Assert.DoesNotContain("Guten Tag Landrätin", plain.TextBody);
        Assert.DoesNotContain("Guten Tag Landrätin", WebUtility.HtmlDecode(plain.HtmlBody));
    }

    [Fact]
    public void The_briefing_has_HTML_and_text_parts_each_chart_inline_by_cid_and_stays_under_one_megabyte()
    {
        var m = Composer.Executive(Report() with { Workbook = null }, new MailRecipient("A", "a@example.org"), null);

        var images = m.BodyParts.OfType<MimePart>().Where(p => p.ContentType.MimeType == "image/png").ToList();
        Assert.Equal(2, images.Count);
        foreach (var image in images)
        {
            Assert.False(string.IsNullOrEmpty(image.ContentId));
            Assert.Contains($"cid:{image.ContentId}", m.HtmlBody);
        }
        Assert.NotNull(m.TextBody);
        Assert.NotNull(m.HtmlBody);
        using var raw = new MemoryStream();
        m.WriteTo(raw);
        Assert.True(raw.Length < 1024 * 1024, $"{raw.Length} bytes");
    }

    [Fact]
    public void The_mail_is_seven_bit_clean_so_every_client_decodes_its_umlauts_and_euro_signs()
    {
        var m = Composer.Executive(Report(), new MailRecipient("A", "a@example.org"), null);
        using var bytes = new MemoryStream();
        m.WriteTo(bytes);
        Assert.DoesNotContain(bytes.ToArray(), b => b > 127);
        Assert.Contains("€", m.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_legend_data_status_portal_link_and_contact_line_are_in_both_parts()
    {
        var m = Composer.Executive(Report(), new MailRecipient("A", "a@example.org"), null);

        foreach (var body in new[] { m.TextBody!, WebUtility.HtmlDecode(m.HtmlBody!) })
        {
            Assert.Contains("15,9 % über dem Referenzwert", body);
            Assert.Contains("3 von 3 erwarteten Meldungen", body);
            Assert.Contains("grün bis 3.100 €, gelb bis 3.720 €, rot darüber", body);
            Assert.Contains("Snapshot 4", body);
            Assert.Contains("https://kennzahlen.example.org", body);
            Assert.Contains("0211 123456", body);
        }
        Assert.DoesNotContain("<script", m.HtmlBody);
        Assert.DoesNotContain("<link", m.HtmlBody);
        Assert.DoesNotContain("<style", m.HtmlBody);
    }

    [Fact]
    public void The_demo_job_file_gives_the_district_executive_her_salutation()
    {
        var (jobs, problems) = JobFileLoader.ReadFiles(Path.Combine(AppPaths.FindContentRoot(), "data", "demo",
            "jobs"));

        Assert.Empty(problems);
        Assert.Contains(jobs.SelectMany(j => j.Recipients),
            r => r.Salutation == "Sehr geehrte Frau Landrätin Berger,");
    }
}
