using System.Globalization;
using System.Net;
using System.Text;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Delivery;
using static Reporting.Web.HtmlPage;
using Reporting.Access;
using Reporting.Uploads;

namespace Reporting.Web;

/// <summary>
/// The admin console: sign-in, overview, delivery log with re-send, submission ledger. Plain server-rendered
/// German HTML; every value from data is HTML-encoded; every form carries an anti-forgery token.
/// </summary>
public static class AdminPages
{

    public static void MapAdminPages(this WebApplication app)
    {
        app.MapGet("/admin/anmelden",
            (HttpContext http, IAntiforgery af, IOptions<AdminOptions> admin, string? returnUrl) =>
            SignInPage(http, af, admin.Value, returnUrl, error: null)).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/admin/anmelden", async (HttpContext http, IAntiforgery af, IOptionsMonitor<AdminOptions> admin,
            SignInThrottle throttle, WebSessions sessions, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                "Ungültiges Formular (Anti-Forgery-Token).");
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = form["returnUrl"].ToString();
            var userName = form["userName"].ToString();
            string[] who = [SignInThrottle.Address(http), SignInThrottle.Account(userName)];
            // Locked out: the password is not even checked, so guessing on gains nothing.
            if (throttle.IsLockedOut(who))
            {
                var minutes = (throttle.RetryAfterSeconds(who) + 59) / 60;
                http.Response.Headers.RetryAfter = (minutes * 60).ToString(CultureInfo.InvariantCulture);
                return SignInPage(http, af, admin.CurrentValue, returnUrl, "Zu viele fehlgeschlagene Anmeldungen. " +
                    $"Bitte versuchen Sie es in {minutes} Minuten erneut.", StatusCodes.Status429TooManyRequests);
            }
            if (!AdminPassword.Verify(admin.CurrentValue, userName, form["password"].ToString()))
            {
                await Task.Delay(throttle.RecordFailure(who), ct);
                return SignInPage(http, af, admin.CurrentValue, returnUrl, "Benutzername oder Passwort ist falsch.",
                    StatusCodes.Status401Unauthorized);
            }
            throttle.Succeeded(who[1]);
            await http.SignInAsync(Auth.AdminCookieScheme, await sessions.StartAdminAsync(ct));
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/admin");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        app.MapPost("/admin/abmelden",
            async (HttpContext http, IAntiforgery af, WebSessions sessions, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest();
            await sessions.EndAsync(http.User, ct);
            await http.SignOutAsync(Auth.AdminCookieScheme);
            return Results.LocalRedirect("/admin/anmelden");
        }).RequireAuthorization(Auth.AdminPolicy).DisableAntiforgery().ExcludeFromDescription();

        var admin = app.MapGroup("/admin").RequireAuthorization(Auth.AdminPolicy).ExcludeFromDescription();
        admin.MapGet("", async (HttpContext http, IAntiforgery af, Scheduling.JobFileSync sync,
            Scheduling.JobFileLoader files, CancellationToken ct) => Page(http, af, "Übersicht", """
            <ul>
              <li><a href="/hangfire">Jobkonsole (Hangfire)</a>: laufende, geplante und fehlgeschlagene Aufträge,
                wiederkehrende Aufträge aus <code>jobs/</code></li>
              <li><a href="/hangfire/recurring">Wiederkehrende Aufträge</a></li>
              <li><a href="/hangfire/jobs/failed">Fehlgeschlagene Aufträge</a></li>
              <li><a href="/admin/zustellungen">Zustellprotokoll</a>: versandte Mails, erneut senden</li>
              <li><a href="/admin/abgaben">Abgabestand</a>: welche Meldungen vorliegen</li>
              <li><a href="/health">Systemzustand</a></li>
            </ul>
            """ + JobFileProblems(sync.LastProblems ?? (await files.ScanAsync(ct)).Problems)));

        admin.MapGet("/zustellungen",
            async (HttpContext http, IAntiforgery af, DeliveryService deliveries, CancellationToken ct) =>
        {
            var rows = await deliveries.RecentAsync(200, ct);
            var token = af.GetAndStoreTokens(http);
            var html = new StringBuilder(
                "<p>Die letzten 200 Zustellungen, neueste zuerst. Zustand <em>unsicher</em>: der Versand wurde "
                    + "unterbrochen, ohne dass feststeht, ob die Mail den Server erreicht hat; sie wird nicht "
                        + "automatisch wiederholt.</p>");
            html.Append(
                "<table><thead><tr><th>Nr.</th><th>Art</th><th>Empfänger</th><th>Betreff</th><th>Zeitraum</th>"
                + "<th>Snapshot</th><th>Anhang (SHA-256)</th><th>Message-ID</th><th>Zustand</th><th>Versuche</th>"
                + "<th>Erstellt</th><th>Gesendet</th><th>Fehler</th><th></th></tr></thead><tbody>");
            foreach (var d in rows)
            {
                var hex = Hex(d.AttachmentSha256);
                var attachment = d.AttachmentName is null
                    ? ""
                    : $"{H(d.AttachmentName)}<br><code title=\"{H(hex)}\">{H(hex[..Math.Min(12, hex.Length)])}</code>"
                        + (d.DownloadId is null ? "" : " (Link)");
                html.Append(
                    $"<tr id=\"delivery-{d.Id}\"><td>{d.Id}</td><td>{H(d.Kind)}</td><td>{H(d.RecipientName)} "
                        + $"&lt;{H(d.RecipientAddress)}&gt;</td><td>{H(d.Subject)}</td>")
                    .Append(
                        $"<td>{H(d.Period ?? "")}</td><td>{d.SnapshotId}</td><td>{attachment}</td>"
                        + $"<td><code>{H(d.MessageId)}</code></td>")
                    .Append(
                        $"<td class=\"status-{H(d.Status)}\">{H(StatusWord(d.Status))}</td><td>{d.Tries}</td>"
                        + $"<td>{When(d.CreatedAt)}</td><td>{When(d.SentAt)}</td><td>{H(d.LastError ?? "")}</td>")
                    .Append(
                        $"<td><form method=\"post\" action=\"/admin/zustellungen/{d.Id}/erneut-senden\"><input "
                            + $"type=\"hidden\" name=\"{H(token.FormFieldName)}\" "
                                + $"value=\"{H(token.RequestToken!)}\"><button type=\"submit\">Erneut "
                                    + $"senden</button></form></td></tr>");
            }
            html.Append("</tbody></table>");
            if (rows.Count == 0) html.Append("<p>Noch keine Zustellungen.</p>");
            return Page(http, af, "Zustellprotokoll", html.ToString());
        });

        admin.MapPost("/zustellungen/{id:long}/erneut-senden",
            async (long id, HttpContext http, IAntiforgery af, DeliveryService deliveries, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                "Ungültiges Formular (Anti-Forgery-Token).");
            if (await deliveries.GetAsync(id, ct) is null) return Results.NotFound();
            var newId = await deliveries.ResendAsync(id, ct);
            return Results.LocalRedirect($"/admin/zustellungen#delivery-{newId}");
        }).DisableAntiforgery();

        // ----- Submission ledger (provider x period, from SubmissionLedger) ---------------------------------------
        admin.MapGet("/abgaben", async (HttpContext http, IAntiforgery af, Ingestion.SubmissionLedger ledger,
            string? zeitraum, CancellationToken ct) =>
        {
            var rows = await ledger.ListAsync(string.IsNullOrWhiteSpace(zeitraum) ? null : zeitraum, ct);
            var html = new StringBuilder("""
                <p>Je Dienstleister und Zeitraum: Stand der Meldung, Frist, Versionen.
                <span class="late">Rot</span>: Frist verstrichen ohne angenommene Meldung.
                Die Verarbeitung (Einlesen, Kennzahlen, Versand) steht in der <a href="/hangfire">Jobkonsole</a>,
                fehlgeschlagene Schritte unter <a href="/hangfire/jobs/failed">Fehlgeschlagen</a>
                (dort erneut anstoßen).</p>
                <table id="ledger"><thead><tr><th>Zeitraum</th><th>Dienstleister</th><th>Stand</th><th>Frist</th>
                <th>Eingänge</th><th>Angenommen</th><th>Abgelehnt</th><th>Ersetzt</th><th>Letzte Abgabe</th>
                <th>Angenommen am</th><th>Aktuelle Version</th></tr></thead><tbody>
                """);
            foreach (var r in rows)
                html.Append(
                    $"<tr class=\"{(r.Late ? "late" : "")}\" data-provider=\"{H(r.ProviderCode)}\" "
                        + $"data-period=\"{H(r.Period)}\"><td>{H(r.Period)}</td><td>{H(r.ProviderName)} "
                            + $"({H(r.ProviderCode)})</td>")
                    .Append(
                        $"<td>{H(LedgerState(r.State))}{(r.Late ? " – verspätet" : "")}</td>"
                        + $"<td>{r.Deadline.ToString("dd.MM.yyyy", German)}</td>")
                    .Append(
                        $"<td>{r.Received}</td><td>{r.Accepted}</td><td>{r.Rejected}</td><td>{r.Superseded}</td>")
                    .Append(
                        $"<td>{When(r.LastSubmittedAt?.UtcDateTime)}</td>"
                        + $"<td>{When(r.FirstAcceptedAt?.UtcDateTime)}</td><td>{r.CurrentVersionId}</td></tr>");
            html.Append("</tbody></table>");
            if (rows.Count == 0) html.Append("<p>Keine Zeiträume oder keine Dienstleister.</p>");
            return Page(http, af, "Abgabestand", html.ToString());
        });

        // Oversized workbooks offered by link in executive mails; the id is a random 128-bit value that expires.
        app.MapGet("/downloads/{id:guid}", async (Guid id, DeliveryService deliveries, CancellationToken ct) =>
            await deliveries.GetDownloadAsync(id, ct) switch
            {
                null => Results.NotFound(),
                { Content: null } => Results.Problem("Dieser Link ist abgelaufen.",
                    statusCode: StatusCodes.Status410Gone),
                { Content: { } content } file => Results.File(content, MailFile.XlsxType, file.FileName),
            }).AllowAnonymous().ExcludeFromDescription();
    }

    static IResult SignInPage(HttpContext http, IAntiforgery af, AdminOptions admin, string? returnUrl, string? error,
        int status = 200)
    {
        var token = af.GetAndStoreTokens(http);
        var body = new StringBuilder();
        if (!admin.IsConfigured) body.Append(
            "<p class=\"error\">Die Admin-Anmeldung ist nicht eingerichtet (Abschnitt <code>Admin</code>: "
                + "Benutzername und Passwort-Hash, oder <code>Admin__Password</code> in der Umgebung).</p>");
        if (error is not null) body.Append($"<p class=\"error\" id=\"error\">{H(error)}</p>");
        body.Append($"""
            <form method="post" action="/admin/anmelden" id="signin">
              <input type="hidden" name="{H(token.FormFieldName)}" value="{H(token.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{H(IsLocal(returnUrl) ? returnUrl! : "/admin")}">
              <p><label for="userName">Benutzername</label><br>
                <input id="userName" name="userName" autocomplete="username" required></p>
              <p><label for="password">Passwort</label><br>
                <input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit" id="submit">Anmelden</button></p>
            </form>
            """);
        return Html(Layout("Anmeldung", body.ToString(), signedIn: false, null), status);
    }

    static IResult Page(HttpContext http, IAntiforgery af, string title, string body)
    {
        var token = af.GetAndStoreTokens(http);
        var signOut = $"<form method=\"post\" action=\"/admin/abmelden\" style=\"display:inline\"><input "
            + $"type=\"hidden\" name=\"{H(token.FormFieldName)}\" value=\"{H(token.RequestToken!)}\"><button "
                + $"type=\"submit\">Abmelden</button></form>";
        return Html(Layout(title, body, signedIn: true, signOut));
    }

    static string Layout(string title, string body, bool signedIn, string? signOut)
        => HtmlPage.Layout(title, body, signedIn
        ? "<a href=\"/admin\">Übersicht</a><a href=\"/admin/abgaben\">Abgabestand</a><a "
            + "href=\"/admin/zustellungen\">Zustellprotokoll</a><a href=\"/hangfire\">Jobkonsole</a>" + signOut
        : "");

    /// <summary>Job files left out at start-up: their jobs do not run until fixed (and a restart).</summary>
    static string JobFileProblems(IReadOnlyList<Scheduling.JobFileProblem> problems)
    {
        if (problems.Count == 0) return "";
        var html = new StringBuilder("<h2>Auftragsdateien mit Fehlern</h2><p class=\"error\">Diese Dateien wurden ")
            .Append("beim Start übergangen; ihre Aufträge laufen nicht, alle anderen schon. ")
            .Append("Datei korrigieren und den Dienst neu starten.</p>")
            .Append("<ul id=\"job-file-problems\">");
        foreach (var p in problems) html.Append($"<li><code>{H(p.File)}</code>: {H(p.Reason)}</li>");
        return html.Append("</ul>").ToString();
    }

    static string Hex(byte[]? b) => b is null ? "" : Convert.ToHexStringLower(b);
    // As LocalRedirect judges it (no control characters, tab and CR/LF among them): what passes here never throws.
    static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//")
        && !url.StartsWith("/\\")
        && !InputGuard.HasControlChars(url);
    static string LedgerState(string state) => state switch
    {
        "missing" => "fehlt", ReturnStates.Received => "in Prüfung", ReturnStates.Rejected => "abgelehnt",
        ReturnStates.Accepted => "angenommen", _ => state,
    };

}
