using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Reporting.Ingestion;
using Reporting.Uploads;
using static Reporting.Web.HtmlPage;
using Reporting.Access;
using Reporting.Pipeline;
using Reporting.Web.Views;

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

        portal.MapGet("", async (HttpContext http, IAntiforgery af, PortalData data, ReturnVersions versions,
            IOptions<UploadsOptions> options, long? bereits, CancellationToken ct) =>
        {
            var code = http.User.ProviderCode()!;
            // Set by the upload when the same bytes came again: that earlier version, if it is this provider's.
            var already = bereits is { } id && await versions.GetAsync(id, ct) is { } v && v.ProviderCode == code
                ? v : null;
            return View<PortalOverview>(new
            {
                ProviderName = await data.ProviderNameAsync(code, ct), ProviderCode = code,
                OpenPeriods = await data.OpenPeriodsAsync(code, Today, ct), Returns = await data.ReturnsAsync(code, ct),
                Token = FormToken.For(http, af), TemplatePeriod = (Today.Year - 1).ToString(German),
                MaxUploadMb = options.Value.MaxUploadBytes / (1024 * 1024), Already = already,
            });
        });

        portal.MapPost("/hochladen", async (HttpContext http, IAntiforgery af, UploadIntake intake, UploadQuota quota,
            UploadGate gate, IOptions<UploadsOptions> options, CancellationToken ct) =>
        {
            var max = options.Value.MaxUploadBytes;
            var tooLarge = Results.Problem($"Die Datei ist zu groß (höchstens {max / (1024 * 1024)} MB).",
                statusCode: 413);
            if (http.Request.ContentLength > max) return tooLarge;
            // Not a form: no anti-forgery token either (checked once the form is read, within the deadline).
            if (!http.Request.HasFormContentType)
                return Results.BadRequest("Ungültiges Formular (Anti-Forgery-Token).");
            var code = http.User.ProviderCode()!;
            using var slot = gate.TryEnter(http, code, out var busy);
            if (slot is null) return busy!;
            var admission = await quota.StartAsync(code, http.Request.ContentLength, ct);
            if (admission.Refused is { } refusal) return UploadQuota.TooMany(http, refusal);
            // The storage quota binds on the bytes as they come, whether or not Content-Length announced them.
            var allowed = Math.Min(max, admission.StorageLeft);
            IResult OverLimit() => allowed < max ? UploadQuota.TooMany(http, quota.StorageFull()) : tooLarge;
            // The same limit as the API: Kestrel's default (30 MB) would otherwise refuse a documented 100 MB upload.
            // The multipart envelope adds a little to the file, hence the margin on the body.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = max + 64 * 1024;
            http.Features.Set<IFormFeature>(new FormFeature(http.Request,
                new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = allowed }));
            IFormCollection form;
            try
            {
                // Read within the upload's deadline first; the anti-forgery check then finds the form read.
                form = await http.Request.ReadFormAsync(slot.Receiving);
                if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                    "Ungültiges Formular (Anti-Forgery-Token).");
            }
            catch (OperationCanceledException) when (slot.TimedOut)
            {
                return slot.TooSlow(http);
            }
            // Over the limit: the answer names it. Any other unreadable body is answered by InputGuard (400).
            catch (Exception e) when (InputGuard.IsTooLarge(e))
            {
                return OverLimit();
            }
            if (form.Files.GetFile("file") is not { Length: > 0 } file) return Results.LocalRedirect("/portal");
            if (file.Length > allowed) return OverLimit();
            var fileName = Path.GetFileName(file.FileName);
            if (InputGuard.HasControlChars(fileName)) return InputGuard.BadInput();
            IntakeReceipt receipt;
            await using (var content = file.OpenReadStream())
                receipt = await intake.SubmitAsync(content, fileName, code, $"portal:{code}", ct);
            // Bytes only another provider holds were stored anew for this one (UploadStore): its own new version.
            // Its own bytes again: nothing new was stored; the overview says when they came and links the verdict.
            return Results.LocalRedirect(receipt.Recognised
                ? $"/portal?bereits={receipt.VersionId}#already"
                : $"/portal/meldungen/{receipt.VersionId}");
        }).DisableAntiforgery();

        portal.MapGet("/meldungen/{id:long}", async (long id, HttpContext http, IAntiforgery af,
            ReturnVersions versions, VersionDiff diff, CancellationToken ct) =>
        {
            var v = await versions.GetAsync(id, ct);
            if (v is null || v.ProviderCode != http.User.ProviderCode()) return Results.NotFound();
            var history = v is { Period: { } period, ProviderCode: { } code }
                ? await versions.HistoryAsync(code, period, ct) : [];
            // Facts exist only for accepted versions (and those replaced since): only they have differences.
            var (previous, changes) = v.Status is ReturnStates.Accepted or ReturnStates.Superseded
                ? await diff.CompareAsync(id, ct) : (null, null);
            return View<PortalVerdict>(new
            {
                V = v, Token = FormToken.For(http, af), History = history, Changes = changes,
                PreviousVersionId = previous,
            });
        });
    }

    static IResult SignInPage(HttpContext http, IAntiforgery af, string? error, int status = 200) =>
        View<PortalSignIn>(new { Token = FormToken.For(http, af), Error = error }, status);
}
