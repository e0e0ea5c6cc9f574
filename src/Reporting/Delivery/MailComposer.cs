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
public sealed class MailComposer(IOptions<SmtpOptions> smtp, IOptions<DeliveryOptions>? delivery = null)
{
    static readonly CultureInfo German = new("de-DE");

    /// <summary>
    /// The briefing: findings first, then the key figures with the lights' legend, two or three charts inline by
    /// cid, data status, the workbook (attached or as a download link), the portal link and the contact line. One
    /// 600 px table with inline styles, so common mail clients show it; the text part says the same.
    /// </summary>
    /// <param name="downloadUrl">The workbook's download link, if one was stored.</param>
    /// <param name="attached">Whether the workbook is attached as well (within the size budget); without a link
    /// it always is.</param>
    public MimeMessage Executive(ExecutiveReport r, MailRecipient to, string? downloadUrl, bool attached = false)
    {
        var subject = $"{r.ReportTitle} {r.PeriodLabel} – {r.ScopeLabel}";
        var message = NewMessage(to, subject);
        var builder = new BodyBuilder();
        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f4f4f4\">")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" ")
            .Append("style=\"background:#f4f4f4\"><tr><td align=\"center\" style=\"padding:12px 0\">")
            .Append("<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" ")
            .Append($"style=\"width:600px;background:#ffffff;{Font}\">")
            .Append(Row($"<h1 style=\"margin:0;font-size:20px;color:#1f3a5f\">{H(r.ReportTitle)} "
                + $"{H(r.PeriodLabel)}</h1><p style=\"margin:4px 0 0;font-size:15px\">{H(r.ScopeLabel)}</p>"));
        text.AppendLine($"{r.ReportTitle} {r.PeriodLabel} – {r.ScopeLabel}").AppendLine()
            .AppendLine(Salutation(to)).AppendLine();
        var intro = $"hier das Wichtigste zu {r.ScopeLabel}, Berichtszeitraum {r.PeriodLabel}:";
        html.Append(Row($"<p style=\"margin:0 0 8px\">{H(Salutation(to))}</p>"
            + $"<p style=\"margin:0\">{H(intro)}</p>"));
        text.AppendLine(intro).AppendLine();

        if (r.Findings.Count > 0)
        {
            html.Append(Row("<ul style=\"margin:0;padding-left:20px\">"
                + string.Concat(r.Findings.Select(f => $"<li style=\"margin:0 0 6px\">{H(f)}</li>")) + "</ul>"));
            foreach (var f in r.Findings) text.AppendLine($"• {f}");
            text.AppendLine();
        }

        if (r.KeyFigures.Count > 0) KeyFigureTable(r, html, text);

        foreach (var c in r.Charts.Where(c => c.Png.Length > 0))
        {
            var image = builder.LinkedResources.Add($"{c.Name}.png", c.Png, new ContentType("image", "png"));
            image.ContentId = MimeUtils.GenerateMessageId();
            html.Append(Row($"<img src=\"cid:{image.ContentId}\" width=\"576\" alt=\"{H(c.Caption)}\" "
                + "style=\"display:block;width:576px;max-width:100%;height:auto;border:0\">"
                + $"<p style=\"margin:4px 0 0;font-size:12px;color:#555\">{H(c.Caption)}</p>"));
            text.AppendLine($"Diagramm: {c.Caption} (in der HTML-Ansicht)");
        }
        if (r.Charts.Count > 0) text.AppendLine();

        var status = r.DataStatus.Length > 0 ? r.DataStatus : $"Berichtszeitraum {r.PeriodLabel}";
        html.Append(Row($"<p style=\"margin:0;font-size:12px;color:#555\">{H(status)}</p>"
            + (r.Note.Length > 0 ? $"<p style=\"margin:4px 0 0;font-size:12px;color:#555\"><em>{H(r.Note)}</em></p>"
                : "")));
        text.AppendLine(status);
        if (r.Note.Length > 0) text.AppendLine(r.Note);
        text.AppendLine();

        var links = new StringBuilder();
        if (r.Workbook is not null)
        {
            if (downloadUrl is null || attached)
            {
                builder.Attachments.Add(Clean(r.Workbook.FileName), r.Workbook.Content,
                    ContentType.Parse(r.Workbook.ContentType));
                links.Append($"<p style=\"margin:0 0 6px\">Die ausführliche Arbeitsmappe liegt als Anhang bei "
                    + $"({H(r.Workbook.FileName)})"
                    + (downloadUrl is null ? ".</p>" : $"; auch zum <a href=\"{H(downloadUrl)}\" "
                        + $"style=\"color:#1f5fa8\">Herunterladen</a>.</p>"));
                text.AppendLine($"Die ausführliche Arbeitsmappe liegt als Anhang bei ({r.Workbook.FileName})."
                    + (downloadUrl is null ? "" : $" Download: {downloadUrl}"));
            }
            else
            {
                var size = (r.Workbook.Content.Length / 1024d / 1024d).ToString("N1", German);
                links.Append($"<p style=\"margin:0 0 6px\">Die ausführliche Arbeitsmappe ({size} MB) ist zu groß "
                    + $"für einen Anhang: <a href=\"{H(downloadUrl)}\" style=\"color:#1f5fa8\">"
                    + $"{H(r.Workbook.FileName)} herunterladen</a>.</p>");
                text.AppendLine(
                    $"Die ausführliche Arbeitsmappe ({size} MB) ist zu groß für einen Anhang. "
                    + $"Download: {downloadUrl}");
            }
        }
        var portal = delivery?.Value.PublicBaseUrl.TrimEnd('/') ?? "";
        if (portal.Length > 0 && (downloadUrl is null || attached))
        {
            links.Append($"<p style=\"margin:0 0 6px\">Kennzahlenportal: <a href=\"{H(portal)}\" "
                + $"style=\"color:#1f5fa8\">{H(portal)}</a></p>");
            text.AppendLine($"Kennzahlenportal: {portal}");
        }
        var contact = delivery?.Value.ContactLine ?? new DeliveryOptions().ContactLine;
        if (contact.Length > 0)
        {
            links.Append($"<p style=\"margin:0\">{H(contact)}</p>");
            text.AppendLine(contact);
        }
        html.Append(Row(links.ToString()));
        text.AppendLine();

        html.Append(Row(Signature(true))).Append("</table></td></tr></table></body></html>");
        text.Append(Signature(false));
        builder.HtmlBody = html.ToString();
        builder.TextBody = text.ToString();
        message.Body = builder.ToMessageBody();
        return SevenBit(message);
    }

    const string Font = "font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#222";

    static string Row(string inner) => $"<tr><td style=\"padding:10px 12px\">{inner}</td></tr>";

    /// <summary>Table rows and the text part's "- Label: Wert (Veränderung) [Ampel]" lines.</summary>
    static void KeyFigureTable(ExecutiveReport r, StringBuilder html, StringBuilder text)
    {
        const string th = "style=\"padding:6px;border-bottom:2px solid #ccc;font-size:13px\"";
        const string td = "style=\"padding:6px;border-bottom:1px solid #e2e2e2;font-size:13px\"";
        var rows = new StringBuilder("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
            + "cellspacing=\"0\" style=\"border-collapse:collapse\">")
            .Append($"<tr><th align=\"left\" {th}>Kennzahl</th><th align=\"right\" {th}>Wert</th>")
            .Append($"<th align=\"right\" {th}>Veränderung</th><th align=\"left\" {th}>Ampel</th></tr>");
        text.AppendLine("Kennzahlen:");
        foreach (var k in r.KeyFigures)
        {
            rows.Append($"<tr><td {td}>{H(k.Label)}</td><td align=\"right\" {td}>{H(k.Value)}</td>")
                .Append($"<td align=\"right\" {td}>{H(k.Change)}</td><td {td}>{LightHtml(k.Light)}</td></tr>");
            text.AppendLine($"- {k.Label}: {k.Value}" + (k.Change is not ("" or "–") ? $" ({k.Change})" : "")
                + (k.Light != TrafficLight.None ? $" [{LightWord(k.Light)}]" : ""));
        }
        rows.Append("</table>");
        var legend = new StringBuilder($"<p style=\"margin:8px 0 0;font-size:12px;color:#555\">{H(LightNote)}</p>");
        text.AppendLine().AppendLine(LightNote);
        if (r.LightLegend.Count > 0)
        {
            legend.Append("<p style=\"margin:4px 0 0;font-size:12px;color:#555\">")
                .Append(string.Join("<br>", r.LightLegend.Select(H))).Append("</p>");
            foreach (var l in r.LightLegend) text.AppendLine($"  {l}");
        }
        html.Append(Row(rows.Append(legend).ToString()));
        text.AppendLine();
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
        return SevenBit(message);
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
        return SevenBit(message);
    }

    /// <summary>
    /// Text parts as quoted-printable: the .eml pickup and servers without 8BITMIME get no raw UTF-8 in a part that
    /// declares no transfer encoding (read as 7-bit, the umlauts and € of such a part come out garbled).
    /// </summary>
    static MimeMessage SevenBit(MimeMessage message)
    {
        message.Prepare(EncodingConstraint.SevenBit);
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

    /// <summary>
    /// The executive's configured form of address, else "Guten Tag," (never built from the display name, which
    /// names a role or a mailbox, not a person's form of address).
    /// </summary>
    static string Salutation(MailRecipient to) => string.IsNullOrWhiteSpace(to.Salutation)
        ? "Guten Tag," : Clean(to.Salutation);

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
