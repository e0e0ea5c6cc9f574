using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Ingestion;
using Reporting.Uploads;
using static Reporting.Web.HtmlPage;
using Reporting.Access;
using Reporting.Pipeline;

namespace Reporting.Web;

/// <summary>
/// The provider portal under /portal: sign in with the provider's API key (kept in the cookie scheme
/// <see cref="Auth.ProviderCookieScheme"/>), download the template, upload a return, see its verdict, messages,
/// feedback workbook and the history of versions. German, server-rendered, anti-forgery on every form; a provider
/// only ever sees its own returns (another provider's version answers 404, like the API).
/// </summary>
public static class ProviderPortal
{

    public static void MapProviderPortal(this WebApplication app)
    {
        app.MapGet("/portal/anmelden", (HttpContext http, IAntiforgery af)
            => SignInPage(http, af, null)).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/portal/anmelden",
            async (HttpContext http, IAntiforgery af, ProviderKeys keys, SignInThrottle throttle,
            WebSessions sessions, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                "Ungültiges Formular (Anti-Forgery-Token).");
            var form = await http.Request.ReadFormAsync(ct);
            var code = await keys.AuthenticateAsync(form["key"].ToString().Trim(), ct);
            if (code is null)
            {
                // Counted with the API's wrong keys; a valid key from the same address is never refused.
                var address = SignInThrottle.Address(http);
                var blocked = throttle.IsLockedOut(address);
                await Task.Delay(throttle.RecordFailure(address), ct);
                if (!blocked) return SignInPage(http, af, "Der Schlüssel ist nicht gültig.",
                    StatusCodes.Status401Unauthorized);
                var minutes = (throttle.RetryAfterSeconds(address) + 59) / 60;
                http.Response.Headers.RetryAfter = (minutes * 60).ToString(CultureInfo.InvariantCulture);
                return SignInPage(http, af, "Zu viele ungültige Schlüssel von Ihrer Adresse. " +
                    $"Bitte versuchen Sie es in {minutes} Minuten erneut.", StatusCodes.Status429TooManyRequests);
            }
            await http.SignInAsync(Auth.ProviderCookieScheme, await sessions.StartProviderAsync(code, ct));
            return Results.LocalRedirect("/portal");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        var portal = app.MapGroup("/portal").RequireAuthorization(Auth.ProviderPolicy).ExcludeFromDescription();

        portal.MapPost("/abmelden",
            async (HttpContext http, IAntiforgery af, WebSessions sessions, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest();
            await sessions.EndAsync(http.User, ct);
            await http.SignOutAsync(Auth.ProviderCookieScheme);
            return Results.LocalRedirect("/portal/anmelden");
        }).DisableAntiforgery();

        portal.MapGet("", async (HttpContext http, IAntiforgery af, NpgsqlDataSource db, CancellationToken ct) =>
        {
            var code = http.User.ProviderCode()!;
            var token = af.GetAndStoreTokens(http);
            var body = new StringBuilder();
            body.Append($"""
                <h2>Vorlage herunterladen</h2>
                <form method="get" action="/api/template" id="template">
                  <label for="period">Meldezeitraum</label>
                  <input id="period" name="period" value="{DateTime.Today.Year - 1}"
                    pattern="{Periods.HtmlPattern}" required>
                  <button type="submit">Vorlage herunterladen</button>
                </form>
                <h2>Meldung hochladen</h2>
                <form method="post" action="/portal/hochladen" enctype="multipart/form-data" id="upload">
                  <input type="hidden" name="{H(token.FormFieldName)}" value="{H(token.RequestToken!)}">
                  <input type="file" id="file" name="file" accept=".xlsx" required>
                  <button type="submit" id="submit">Hochladen</button>
                </form>
                <h2>Ihre Meldungen</h2>
                """);
            await using var cmd = db.CreateCommand("""
                select rv.id, rv.period, rv.version, rv.status, u.file_name, rv.submitted_at
                from return_versions rv join uploads u on u.id = rv.upload_id
                where coalesce(rv.provider_code, u.provider_code) = $1 order by rv.id desc limit 200
                """);
            cmd.Parameters.Add(new() { Value = code });
            body.Append(
                "<table id=\"returns\"><thead><tr><th>Nr.</th><th>Zeitraum</th><th>Version</th><th>Datei</th>"
                + "<th>Eingegangen</th><th>Stand</th></tr></thead><tbody>");
            var any = false;
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                {
                    any = true;
                    body.Append(
                        $"<tr><td><a href=\"/portal/meldungen/{r.GetInt64(0)}\">{r.GetInt64(0)}</a></td>"
                        + $"<td>{H(r.IsDBNull(1) ? "" : r.GetString(1))}</td>"
                        + $"<td>{(r.IsDBNull(2) ? "" : r.GetInt32(2))}</td>")
                        .Append(
                            $"<td>{H(r.GetString(4))}</td><td>{When(r.GetFieldValue<DateTimeOffset>(5))}</td>"
                            + $"<td>{H(StatusWord(r.GetString(3)))}</td></tr>");
                }
            body.Append("</tbody></table>");
            if (!any) body.Append("<p>Noch keine Meldungen.</p>");
            return Page(http, af, $"Meldeportal – {code}", body.ToString());
        });

        portal.MapPost("/hochladen", async (HttpContext http, IAntiforgery af, UploadIntake intake, UploadQuota quota,
            UploadGate gate, IOptions<UploadsOptions> options, CancellationToken ct) =>
        {
            var max = options.Value.MaxUploadBytes;
            var tooLarge = Results.Problem($"Die Datei ist zu groß (höchstens {max / (1024 * 1024)} MB).",
                statusCode: 413);
            if (http.Request.ContentLength > max) return tooLarge;
            var code = http.User.ProviderCode()!;
            if (await quota.CheckAsync(code, http.Request.ContentLength, ct) is { } refusal)
                return UploadQuota.TooMany(http, refusal);
            using var slot = gate.TryEnter();
            if (slot is null) return gate.Busy(http);
            // The same limit as the API: Kestrel's default (30 MB) would otherwise refuse a documented 100 MB upload.
            // The multipart envelope adds a little to the file, hence the margin on the body.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = max + 64 * 1024;
            http.Features.Set<IFormFeature>(new FormFeature(http.Request,
                new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = max }));
            IFormCollection form;
            try
            {
                if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                    "Ungültiges Formular (Anti-Forgery-Token).");
                form = await http.Request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is BadHttpRequestException { StatusCode: 413 } or InvalidDataException)
            {
                return tooLarge;
            }
            if (form.Files.GetFile("file") is not { Length: > 0 } file) return Results.LocalRedirect("/portal");
            if (file.Length > max) return tooLarge;
            var fileName = Path.GetFileName(file.FileName);
            if (InputGuard.HasControlChars(fileName)) return InputGuard.BadInput();
            IntakeReceipt receipt;
            await using (var content = file.OpenReadStream())
                receipt = await intake.SubmitAsync(content, fileName, code, $"portal:{code}", ct);
            // Bytes only another provider holds were stored anew for this one (UploadStore): its own new version.
            return Results.LocalRedirect($"/portal/meldungen/{receipt.VersionId}");
        }).DisableAntiforgery();

        portal.MapGet("/meldungen/{id:long}",
            async (long id, HttpContext http, IAntiforgery af, ReturnVersions versions, CancellationToken ct) =>
        {
            var v = await versions.GetAsync(id, ct);
            if (v is null || v.ProviderCode != http.User.ProviderCode()) return Results.NotFound();
            var body = new StringBuilder();
            var pending = v.Status == ReturnStates.Received;
            body.Append(
                $"<p>Datei <strong>{H(v.FileName)}</strong>, eingegangen {When(v.SubmittedAt)}, Zeitraum "
                    + $"{H(v.Period ?? "–")}{(v.Version is { } n ? $", Version {n}" : "")}.</p>")
                .Append(
                    $"<p id=\"status\" class=\"status-{H(v.Status)}\">Stand: "
                        + $"<strong>{H(StatusWord(v.Status))}</strong>"
                        + (pending ? " – die Meldung wird geprüft, die Seite aktualisiert sich." : "") + "</p>");
            if (!pending)
            {
                body.Append(
                    $"<p>{v.ErrorCount} Fehler, {v.WarningCount} Hinweise. <a id=\"feedback\" "
                        + $"href=\"/api/returns/{v.Id}/feedback\">Rückmeldung als Arbeitsmappe (Ihre Datei mit "
                            + $"markierten Zellen)</a></p>");
                if (v.Messages.Count > 0)
                {
                    body.Append(
                        "<table id=\"messages\"><thead><tr><th>Art</th><th>Blatt</th><th>Zelle</th><th>Wert</th>"
                        + "<th>Meldung</th></tr></thead><tbody>");
                    foreach (var m in v.Messages)
                        body.Append(
                            $"<tr><td>{(m.Severity == Severity.Error ? "Fehler" : "Hinweis")}</td><td>{H(m.Sheet)}</td>"
                            + $"<td>{H(m.Cell)}</td><td>{H(m.Value)}</td><td>{H(m.Text)}</td></tr>");
                    body.Append("</tbody></table>");
                }
            }
            if (v.Period is { } period && v.ProviderCode is { } code)
            {
                body.Append(
                    $"<h2>Versionen für {H(period)}</h2><table "
                        + "id=\"history\"><thead><tr><th>Nr.</th><th>Version</th><th>Datei</th><th>Eingegangen</th>"
                        + "<th>Stand</th></tr></thead><tbody>");
                foreach (var h in await versions.HistoryAsync(code, period, ct))
                    body.Append(
                        $"<tr><td><a href=\"/portal/meldungen/{h.Id}\">{h.Id}</a></td><td>{h.Version}</td>"
                        + $"<td>{H(h.FileName)}</td><td>{When(h.SubmittedAt)}</td>"
                        + $"<td>{H(StatusWord(h.Status))}</td></tr>");
                body.Append("</tbody></table>");
            }
            body.Append("<p><a href=\"/portal\">Zurück zur Übersicht</a></p>");
            return Page(http, af, $"Meldung {v.Id}", body.ToString(), refresh: pending);
        });
    }

    static IResult SignInPage(HttpContext http, IAntiforgery af, string? error, int status = 200)
    {
        var token = af.GetAndStoreTokens(http);
        var body = (error is null ? "" : $"<p class=\"error\" id=\"error\">{H(error)}</p>") + $"""
            <p>Melden Sie sich mit dem Schlüssel Ihres Dienstleisters an (derselbe wie für die Schnittstelle).</p>
            <form method="post" action="/portal/anmelden" id="signin">
              <input type="hidden" name="{H(token.FormFieldName)}" value="{H(token.RequestToken!)}">
              <p><label for="key">Schlüssel</label><br>
                <input id="key" name="key" type="password" autocomplete="off" required size="60"></p>
              <p><button type="submit" id="submit">Anmelden</button></p>
            </form>
            """;
        return Html(Layout("Meldeportal – Anmeldung", body, ""), status);
    }

    static IResult Page(HttpContext http, IAntiforgery af, string title, string body, bool refresh = false)
    {
        var token = af.GetAndStoreTokens(http);
        var signOut = $"<a href=\"/portal\">Übersicht</a><form method=\"post\" action=\"/portal/abmelden\" "
            + $"style=\"display:inline\"><input type=\"hidden\" name=\"{H(token.FormFieldName)}\" "
                + $"value=\"{H(token.RequestToken!)}\"><button type=\"submit\">Abmelden</button></form>";
        return Html(Layout(title, body, signOut, refresh));
    }
}
