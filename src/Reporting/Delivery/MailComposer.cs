using Reporting.Reports;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace Reporting.Delivery;

/// <summary>
/// Builds the German mails. Everything that comes from data is treated as untrusted: header values lose CR/LF
/// and control characters (MimeKit encodes the rest), HTML bodies encode every value.
/// </summary>
public sealed class MailComposer(IOptions<SmtpOptions> smtp)
{
    static readonly CultureInfo German = new("de-DE");

    public MimeMessage Executive(ExecutiveReport r, MailRecipient to, string? downloadUrl)
    {
        var subject = $"{r.ReportTitle} {r.PeriodLabel} – {r.ScopeLabel}";
        var message = NewMessage(to, subject);
        var builder = new BodyBuilder();

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"></head>")
            .Append("<body style=\"font-family:DejaVu Sans,Arial,sans-serif;color:#222\">")
            .Append($"<h1 style=\"font-size:20px\">{H(r.ReportTitle)} {H(r.PeriodLabel)}</h1>")
            .Append(
                $"<p>{H(Greeting(to))}</p><p>anbei die aktuellen Kennzahlen für <strong>{H(r.ScopeLabel)}</strong>, "
                    + $"Berichtszeitraum {H(r.PeriodLabel)}.</p>");
        text.AppendLine($"{r.ReportTitle} {r.PeriodLabel} – {r.ScopeLabel}").AppendLine()
            .AppendLine(Greeting(to)).AppendLine()
            .AppendLine($"anbei die aktuellen Kennzahlen für {r.ScopeLabel}, Berichtszeitraum {r.PeriodLabel}.")
                .AppendLine();

        if (r.KeyFigures.Count > 0)
        {
            html.Append(
                "<table style=\"border-collapse:collapse\" cellpadding=\"6\"><thead><tr style=\"background:#eee\">")
                .Append(
                    "<th align=\"left\">Kennzahl</th><th align=\"right\">Wert</th><th "
                        + "align=\"right\">Veränderung</th><th>Ampel</th></tr></thead><tbody>");
            foreach (var k in r.KeyFigures)
            {
                html.Append(
                    $"<tr style=\"border-bottom:1px solid #ddd\"><td>{H(k.Label)}</td><td "
                        + $"align=\"right\">{H(k.Value)}</td>")
                    .Append($"<td align=\"right\">{H(k.Change)}</td><td>{LightHtml(k.Light)}</td></tr>");
                text.AppendLine($"- {k.Label}: {k.Value}" + (k.Change is not ("" or "–") ? $" ({k.Change})" : "")
                    + (k.Light != TrafficLight.None ? $" [{LightWord(k.Light)}]" : ""));
            }
            html.Append("</tbody></table>").Append($"<p style=\"font-size:12px;color:#555\">{H(LightNote)}</p>");
            text.AppendLine(LightNote).AppendLine();
        }

        if (r.ChartPng is { Length: > 0 })
        {
            var chart = builder.LinkedResources.Add("kennzahlen.png", r.ChartPng, new ContentType("image", "png"));
            chart.ContentId = MimeUtils.GenerateMessageId();
            html.Append(
                $"<p><img src=\"cid:{chart.ContentId}\" "
                    + $"alt=\"{H(r.ChartCaption.Length > 0 ? r.ChartCaption : "Diagramm")}\" "
                        + $"style=\"max-width:100%\"></p>");
            if (r.ChartCaption.Length > 0) text.AppendLine($"Diagramm: {r.ChartCaption} (in der HTML-Ansicht)")
                .AppendLine();
        }

        if (r.Note.Length > 0)
        {
            html.Append($"<p><em>{H(r.Note)}</em></p>");
            text.AppendLine(r.Note).AppendLine();
        }

        if (r.Workbook is not null)
        {
            if (downloadUrl is null)
            {
                builder.Attachments.Add(Clean(r.Workbook.FileName), r.Workbook.Content,
                    ContentType.Parse(r.Workbook.ContentType));
                html.Append($"<p>Die ausführliche Arbeitsmappe liegt als Anhang bei ({H(r.Workbook.FileName)}).</p>");
                text.AppendLine($"Die ausführliche Arbeitsmappe liegt als Anhang bei ({r.Workbook.FileName}).");
            }
            else
            {
                var size = (r.Workbook.Content.Length / 1024d / 1024d).ToString("N1", German);
                html.Append(
                    $"<p>Die ausführliche Arbeitsmappe ({size} MB) ist zu groß für einen Anhang: <a "
                        + $"href=\"{H(downloadUrl)}\">{H(r.Workbook.FileName)} herunterladen</a>.</p>");
                text.AppendLine(
                    $"Die ausführliche Arbeitsmappe ({size} MB) ist zu groß für einen Anhang. "
                    + $"Download: {downloadUrl}");
            }
        }

        html.Append(Signature(true)).Append("</body></html>");
        text.Append(Signature(false));
        builder.HtmlBody = html.ToString();
        builder.TextBody = text.ToString();
        message.Body = builder.ToMessageBody();
        return message;
    }

    public MimeMessage ProviderVerdict(ProviderVerdict v, MailRecipient to)
    {
        var verdict = v.Accepted ? "angenommen" : "abgelehnt";
        var period = string.IsNullOrEmpty(v.Period) ? "" : $" {v.Period}";
        var message = NewMessage(to, $"Ihre Meldung{period} wurde {verdict} – {v.ProviderName}");
        var builder = new BodyBuilder();
        var intro = v.FileProblem ?? (v.Accepted
            ? $"Ihre Meldung für den Zeitraum {v.Period} ({v.FileName}) wurde geprüft und angenommen. Vielen Dank."
            : $"Ihre Meldung für den Zeitraum {v.Period} ({v.FileName}) wurde geprüft und abgelehnt. Bitte "
                + $"korrigieren Sie die folgenden Punkte und laden Sie die Datei erneut hoch.");
        var html = new StringBuilder(
            $"<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:DejaVu "
                + $"Sans,Arial,sans-serif\"><p>{H(Greeting(to))}</p><p>{H(intro)}</p>");
        var text = new StringBuilder().AppendLine(Greeting(to)).AppendLine().AppendLine(intro).AppendLine();
        if (v.Messages.Count > 0)
        {
            html.Append(v.Accepted ? "<p>Hinweise:</p><ul>" : "<p>Fehler und Hinweise:</p><ul>");
            text.AppendLine(v.Accepted ? "Hinweise:" : "Fehler und Hinweise:");
            foreach (var m in v.Messages) { html.Append($"<li>{H(m)}</li>"); text.AppendLine($"- {m}"); }
            html.Append("</ul>");
            text.AppendLine();
        }
        if (v.FeedbackWorkbook is not null)
        {
            builder.Attachments.Add(Clean(v.FeedbackWorkbook.FileName), v.FeedbackWorkbook.Content,
                ContentType.Parse(v.FeedbackWorkbook.ContentType));
            html.Append("<p>Die Rückmeldung mit den markierten Zellen liegt als Arbeitsmappe bei.</p>");
            text.AppendLine("Die Rückmeldung mit den markierten Zellen liegt als Arbeitsmappe bei.");
        }
        else if (v.FeedbackLink is { } link)
        {
            var size = (link.Bytes / 1024d / 1024d).ToString("N1", German);
            html.Append($"<p>Die Rückmeldung mit den markierten Zellen ({size} MB) ist zu groß für einen Anhang: ")
                .Append($"<a href=\"{H(link.Url)}\">{H(link.FileName)} herunterladen</a> ")
                .Append("(Anmeldung im Meldeportal erforderlich).</p>");
            text.AppendLine($"Die Rückmeldung mit den markierten Zellen ({size} MB) ist zu groß für einen Anhang. "
                            + $"Download (Anmeldung im Meldeportal erforderlich): {link.Url}");
        }
        html.Append(Signature(true)).Append("</body></html>");
        text.Append(Signature(false));
        builder.HtmlBody = html.ToString();
        builder.TextBody = text.ToString();
        message.Body = builder.ToMessageBody();
        return message;
    }

    public MimeMessage Reminder(string providerName, string period, DateOnly deadline, MailRecipient to) => Plain(to,
        $"Erinnerung: Meldung {period} bis {deadline.ToString("dd.MM.yyyy", German)} – {providerName}",
        $"für den Zeitraum {period} liegt uns von {providerName} noch keine Meldung vor. Die Abgabefrist endet am "
            + $"{deadline.ToString("dddd, dd.MM.yyyy", German)}. Bitte laden Sie Ihre Meldung rechtzeitig hoch.");

    public MimeMessage LateNotice(string providerName, string period, DateOnly deadline, MailRecipient to) => Plain(to,
        $"Frist überschritten: Meldung {period} – {providerName}",
        $"die Abgabefrist für den Zeitraum {period} ist am {deadline.ToString("dd.MM.yyyy", German)} abgelaufen, und "
            + $"uns liegt von {providerName} noch keine Meldung vor. Bitte laden Sie Ihre Meldung umgehend hoch.");

    public MimeMessage LateList(string period, DateOnly deadline, IReadOnlyList<(string Code, string Name)> late,
        MailRecipient to) => Plain(to,
        $"Ausstehende Meldungen {period}: {late.Count}",
        $"die Abgabefrist für den Zeitraum {period} ist am {deadline.ToString("dd.MM.yyyy", German)} abgelaufen. Es "
            + $"fehlen noch {late.Count} Meldungen:",
        late.Select(l => $"{l.Name} ({l.Code})").ToList());

    MimeMessage Plain(MailRecipient to, string subject, string paragraph, IReadOnlyList<string>? items = null)
    {
        var message = NewMessage(to, subject);
        var html = new StringBuilder(
            $"<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:DejaVu "
                + $"Sans,Arial,sans-serif\"><p>{H(Greeting(to))}</p><p>{H(paragraph)}</p>");
        var text = new StringBuilder().AppendLine(Greeting(to)).AppendLine().AppendLine(paragraph).AppendLine();
        if (items is { Count: > 0 })
        {
            html.Append("<ul>");
            foreach (var i in items) { html.Append($"<li>{H(i)}</li>"); text.AppendLine($"- {i}"); }
            html.Append("</ul>");
            text.AppendLine();
        }
        html.Append(Signature(true)).Append("</body></html>");
        text.Append(Signature(false));
        message.Body = new BodyBuilder { HtmlBody = html.ToString(), TextBody = text.ToString() }.ToMessageBody();
        return message;
    }

    MimeMessage NewMessage(MailRecipient to, string subject)
    {
        var o = smtp.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Clean(o.FromName), o.FromAddress));
        message.To.Add(Mailbox(to));
        message.Subject = Clean(subject);
        message.Date = DateTimeOffset.UtcNow;
        message.Headers.Add("Content-Language", "de");
        return message;
    }

    /// <summary>
    /// A validated mailbox: the address must parse as exactly one plain address (no display name, no list).
    /// </summary>
    public static MailboxAddress Mailbox(MailRecipient r)
    {
        if (!IsValidAddress(r.Address)) throw new ArgumentException($"not a valid mail address: '{Clean(r.Address)}'");
        return new MailboxAddress(Clean(r.Name), r.Address.Trim());
    }

    public static bool IsValidAddress(string? address) =>
        !string.IsNullOrWhiteSpace(address)
        && !address.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ',' or ';' or '<' or '>')
        && MailboxAddress.TryParse(address.Trim(), out var mb)
        && mb.Address == address.Trim()
        && mb.Address.IndexOf('@') is > 0 and var at && at < mb.Address.Length - 1;

    /// <summary>Header-safe text: CR, LF and other control characters become spaces (no header injection).</summary>
    public static string Clean(string? value) =>
        string.Join(' ', new string((value ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    static string Greeting(MailRecipient to) => string.IsNullOrWhiteSpace(to.Name)
        ? "Guten Tag," : $"Guten Tag {Clean(to.Name)},";

    static string Signature(bool html) => html
        ? "<p style=\"color:#666;font-size:12px\">Diese Nachricht wurde automatisch vom Kennzahlensystem der "
            + "kommunalen IT in NRW versandt.</p>"
        : "-- \nDiese Nachricht wurde automatisch vom Kennzahlensystem der kommunalen IT in NRW versandt.\n";

    static string H(string value) => WebUtility.HtmlEncode(value);

    const string LightNote = "Ampel: Wert gemessen an den Schwellenwerten des Kennzahlenkatalogs (ohne Schwellenwert "
        + "keine Ampel). Pfeil: Richtung der Veränderung; Quoten in Prozentpunkten (Pp.), Beträge in Prozent.";

    static string LightWord(TrafficLight l)
        => l switch
        {
            TrafficLight.Green => "grün",
            TrafficLight.Yellow => "gelb",
            TrafficLight.Red => "rot",
            _ => "",
        };

    static string LightHtml(TrafficLight l) => l switch
    {
        TrafficLight.None => "",
        _ => "<span style=\"display:inline-block;width:12px;height:12px;border-radius:6px;background:"
            + LightColour(l) + $"\"></span> {LightWord(l)}",
    };

    static string LightColour(TrafficLight l) => l switch
    {
        TrafficLight.Green => "#2e7d32",
        TrafficLight.Yellow => "#f9a825",
        _ => "#c62828",
    };
}
