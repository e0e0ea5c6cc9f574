using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Uploads;

namespace Reporting.Web;

/// <summary>
/// What the server-rendered German pages (admin console, provider portal) share: layout, encoding, dates, state words.
/// </summary>
static partial class HtmlPage
{
    public static readonly CultureInfo German = new("de-DE");
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>A page built as a Razor component (Web/Views), rendered on the server; no interactivity.</summary>
    public static IResult View<TComponent>(object? parameters = null, int status = 200)
        where TComponent : IComponent
        => new RazorComponentResult<TComponent>(parameters ?? new { }) { StatusCode = status };

    /// <summary>
    /// The frame of <see cref="Views.Layout"/> for pages still built as strings (same skeleton and stylesheet).
    /// </summary>
    /// <param name="nav">Navigation HTML (already encoded), empty on sign-in pages.</param>
    /// <param name="refresh">Reload every 2 s (a page waiting for a job's result).</param>
    public static string Layout(string title, string body, string nav, bool refresh = false) => $$"""
        <!DOCTYPE html>
        <html lang="de"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{(refresh ? "<meta http-equiv=\"refresh\" content=\"2\">" : "")}}
        <title>{{H(title)}} – {{Views.Layout.SiteName}}</title>
        <link rel="stylesheet" href="{{Views.SiteStylesheet.Path}}"></head>
        <body><a class="skip" href="#inhalt">Zum Inhalt springen</a>
        <header class="site"><div class="bar"><a class="brand" href="/">{{Views.Layout.SiteName}}</a>
        {{(nav.Length == 0 ? "" : $"<nav aria-label=\"Hauptnavigation\">{nav}</nav>")}}</div></header>
        <main id="inhalt" tabindex="-1"><h1>{{H(title)}}</h1>
        {{body}}
        </main></body></html>
        """;

    public static IResult Html(string html, int status = 200)
        => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    public static string H(string value) => WebUtility.HtmlEncode(value);
    public static string When(DateTimeOffset? t) => t is null
        ? "" : TimeZoneInfo.ConvertTime(t.Value, Berlin).ToString("dd.MM.yyyy HH:mm", German);
    public static string When(DateTime? utc) => utc is null
        ? "" : When(new DateTimeOffset(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc)));

    public static DateOnly BerlinDate(DateTimeOffset t) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, Berlin).DateTime);
    public static DateOnly Today => BerlinDate(DateTimeOffset.UtcNow);
    public static string Day(DateOnly d) => d.ToString("dd.MM.yyyy", German);
    /// <summary>"am 01.12.2026 um 14:05 Uhr" in Berlin time.</summary>
    public static string AtTime(DateTimeOffset t) =>
        $"am {TimeZoneInfo.ConvertTime(t, Berlin).ToString("dd.MM.yyyy 'um' HH:mm", German)} Uhr";

    /// <summary>
    /// A message for people: straight quotes around a word or phrase ('X', "X") become German ones („X“); an
    /// apostrophe inside a word stays.
    /// </summary>
    public static string Plain(string text) => QuotedPhrase().Replace(text, "„$2“");

    [GeneratedRegex("""(?<![\p{L}\p{N}])(['"])([^'"\r\n]+?)\1(?![\p{L}\p{N}])""")]
    private static partial Regex QuotedPhrase();

    /// <summary>States of deliveries and return versions in German.</summary>
    public static string StatusWord(string status) => status switch
    {
        "pending" => "wartet", "sending" => "wird gesendet", "sent" => "gesendet", "uncertain" => "unsicher",
        ReturnStates.Received => "in Prüfung", ReturnStates.Accepted => "angenommen",
        ReturnStates.Rejected => "abgelehnt", ReturnStates.Superseded => "ersetzt", _ => status,
    };
}
