using System.Globalization;
using System.Net;
using System.Text;
using Reporting.Uploads;

namespace Reporting.Web;

/// <summary>
/// What the server-rendered German pages (admin console, provider portal) share: layout, encoding, dates, state words.
/// </summary>
static class HtmlPage
{
    public static readonly CultureInfo German = new("de-DE");
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <param name="nav">Navigation HTML (already encoded), empty on sign-in pages.</param>
    /// <param name="refresh">Reload every 2 s (a page waiting for a job's result).</param>
    public static string Layout(string title, string body, string nav, bool refresh = false) => $$"""
        <!DOCTYPE html>
        <html lang="de"><head><meta charset="utf-8">
        {{(refresh ? "<meta http-equiv=\"refresh\" content=\"2\">" : "")}}
        <title>{{H(title)}} – Kennzahlen kommunale IT NRW</title>
        <style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;font-size:13px}
        th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top} th{background:#eee} .error{color:#b00020}
        tr.late td{background:#fde0dc} .late{color:#b00020} .status-sent,.status-accepted{color:#2e7d32}
        .status-pending,.status-sending{color:#8a6d00} .status-uncertain,.status-rejected{color:#b00020}
        nav a{margin-right:1em}</style></head>
        <body><header><nav>{{nav}}</nav></header>
        <h1>{{H(title)}}</h1>
        {{body}}
        </body></html>
        """;

    public static IResult Html(string html, int status = 200)
        => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    public static string H(string value) => WebUtility.HtmlEncode(value);
    public static string When(DateTimeOffset? t) => t is null
        ? "" : TimeZoneInfo.ConvertTime(t.Value, Berlin).ToString("dd.MM.yyyy HH:mm", German);
    public static string When(DateTime? utc) => utc is null
        ? "" : When(new DateTimeOffset(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc)));

    /// <summary>States of deliveries and return versions in German.</summary>
    public static string StatusWord(string status) => status switch
    {
        "pending" => "wartet", "sending" => "wird gesendet", "sent" => "gesendet", "uncertain" => "unsicher",
        ReturnStates.Received => "in Prüfung", ReturnStates.Accepted => "angenommen",
        ReturnStates.Rejected => "abgelehnt", ReturnStates.Superseded => "ersetzt", _ => status,
    };
}
