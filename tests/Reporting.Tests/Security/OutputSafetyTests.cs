using ClosedXML.Excel;
using Microsoft.Extensions.Options;
using MimeKit;
using Reporting.Delivery;
using Reporting.Ingestion;
using Reporting.Kpis;
using Reporting.Tests.Ingestion;

namespace Reporting.Tests.Security;

/// <summary>
/// Text that came from an upload leaves the system as text: never as a spreadsheet formula, HTML or a mail header.
/// </summary>
public sealed class OutputSafetyTests
{
    public static TheoryData<string> Hostile
        => new() { "=HYPERLINK(\"http://evil.example\",\"klick\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)" };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_CSV_export_makes_a_leading_formula_character_text(string text)
    {
        var value = new KpiValue("kosten_je_ew", "provider", text, text, text, text, 1.5m, 3m, 2m, null, 1m, false);
        var snapshot = new KpiSnapshot(1, "2025", DateTimeOffset.UnixEpoch, 1m, 1, 1, false, "hash", KpiScope.Nrw, [],
            [value], []);

        using var csv = new CsvHelper.CsvReader(new StringReader(KpiExport.ToCsv(snapshot)),
            System.Globalization.CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        csv.Read();
        var fields = Enumerable.Range(0, csv.HeaderRecord!.Length).Select(i => csv.GetField(i) ?? "").ToList();

        // What a spreadsheet sees in each text field starts with an apostrophe, which makes it text.
        foreach (var name in new[] { "slice_key", "slice_label", "district_key", "provider_code" })
            Assert.Equal("'" + text, csv.GetField(name));
        Assert.DoesNotContain(fields, f => f.Length > 0 && f[0] is '=' or '+' or '@');
        Assert.Equal("1.5", csv.GetField("value"));   // numbers stay numbers
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_feedback_workbook_writes_text_from_the_upload_as_text(string text)
    {
        var original = File.ReadAllBytes(ReturnFiles.WriteValid(ReturnFiles.TempDir()));
        var parsed = ReturnFiles.Validate(original);
        parsed.Messages.Add(new ReturnMessage(Severity.Error, "Versorgung", "A4", text, "Domaene.AGS",
            $"Der Gemeindeschlüssel (AGS) „{text}“ ist unbekannt."));
        parsed.Messages.Add(new ReturnMessage(Severity.Error, "Versorgung", "A5", "x", "Domaene.AGS", text));

        var bytes = FeedbackWorkbook.Create(original, text + ".xlsx", parsed);

        using var wb = new XLWorkbook(new MemoryStream(bytes));
        var ws = wb.Worksheet(FeedbackWorkbook.MessagesSheet);
        Assert.DoesNotContain(ws.CellsUsed(), c => c.HasFormula);
        Assert.Contains(ws.CellsUsed(), c => c.GetString() == text);
    }

    [Fact]
    public void A_verdict_mail_encodes_data_as_HTML_and_keeps_line_breaks_out_of_headers()
    {
        var composer = new MailComposer(Options.Create(new SmtpOptions()));
        var verdict = new ProviderVerdict
        {
            ProviderCode = "KDZA", ProviderName = "KDZ <b>Auenland</b>\r\nBcc: evil@example.org", Period = "2025",
                Accepted = false,
            FileName = "<img src=x onerror=alert(1)>.xlsx",
                Messages = ["Versorgung!A4: <script>alert(1)</script> & mehr"],
        };

        var m = composer.ProviderVerdict(verdict,
            new MailRecipient("Eve\r\nCc: evil@example.org", "meldung@example.org"));
        using var raw = new MemoryStream();
        m.WriteTo(raw);
        var parsed = MimeMessage.Load(new MemoryStream(raw.ToArray()));

        Assert.Empty(parsed.Bcc);
        Assert.Empty(parsed.Cc);
        Assert.Single(parsed.To);
        Assert.DoesNotContain("\n", parsed.Subject!, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", parsed.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", parsed.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", parsed.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&amp; mehr", parsed.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void ClosedXML_SetValue_of_formula_like_text_stores_text_which_the_workbooks_rely_on()
    {
        using var wb = new XLWorkbook();
        var cell = wb.AddWorksheet("T").Cell(1, 1);
        cell.SetValue("=1+1");
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        using var back = new XLWorkbook(new MemoryStream(ms.ToArray()));
        var read = back.Worksheet("T").Cell(1, 1);
        Assert.False(read.HasFormula);
        Assert.Equal("=1+1", read.GetString());
    }
}
