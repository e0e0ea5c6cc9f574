using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Reporting.Delivery;
using Reporting.Ingestion;
using Reporting.Web.Views;
using Reporting.Web.Views.Admin;
using static Reporting.Web.HtmlPage;
using Reporting.Access;

namespace Reporting.Web;

/// <summary>
/// The admin console: sign-in, start page (what needs attention), delivery log with re-send (after a confirmation),
/// submission ledger. Razor components rendered on the server (Web/Views/Admin), which encode every value; every
/// form that changes something carries an anti-forgery token.
/// </summary>
public static class AdminPages
{

    public static void MapAdminPages(this WebApplication app)
    {
        app.MapGet("/admin/anmelden",
            (HttpContext http, IAntiforgery af, IOptions<AdminOptions> admin, string? returnUrl) =>
            SignInPage(http, af, admin.Value, returnUrl, error: null)).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/admin/anmelden", async (HttpContext http, IAntiforgery af, IOptionsMonitor<AdminOptions> admin,
            SignInThrottle throttle, AdminSignInFailures failures, WebSessions sessions, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                "Ungültiges Formular (Anti-Forgery-Token).");
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = form["returnUrl"].ToString();
            var userName = form["userName"].ToString();
            // Refused and delayed per address only: failures from elsewhere never lock the admin out. Account-wide
            // failures are counted for the log and the start page (AdminSignInFailures).
            var address = SignInThrottle.Address(http);
            // Locked out: the password is not even checked, so guessing on gains nothing.
            if (throttle.IsLockedOut(address))
            {
                var minutes = (throttle.RetryAfterSeconds(address) + 59) / 60;
                http.Response.Headers.RetryAfter = (minutes * 60).ToString(CultureInfo.InvariantCulture);
                return SignInPage(http, af, admin.CurrentValue, returnUrl, "Zu viele fehlgeschlagene Anmeldungen. " +
                    $"Bitte versuchen Sie es in {minutes} Minuten erneut.", StatusCodes.Status429TooManyRequests);
            }
            if (!AdminPassword.Verify(admin.CurrentValue, userName, form["password"].ToString()))
            {
                await failures.RecordAsync(userName, http.Connection.RemoteIpAddress?.ToString() ?? "unbekannt", ct);
                await Task.Delay(throttle.RecordFailure(address), ct);
                return SignInPage(http, af, admin.CurrentValue, returnUrl, "Benutzername oder Passwort ist falsch.",
                    StatusCodes.Status401Unauthorized);
            }
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
        admin.MapGet("", async (HttpContext http, IAntiforgery af, JobStorage storage, SubmissionLedger ledger,
            DeliveryService deliveries, Scheduling.JobFileSync sync, Scheduling.JobFileLoader files,
            AdminSignInFailures signInFailures, CancellationToken ct) =>
        {
            var problems = sync.LastProblems ?? (await files.ScanAsync(ct)).Problems;
            var overview = await AdminOverview.LoadAsync(storage, ledger, deliveries, problems,
                await signInFailures.RecentAsync(ct), ct);
            return HtmlPage.View<AdminStartPage>(new { Token = FormToken.For(http, af), Overview = overview });
        });

        admin.MapGet("/zustellungen",
            async (HttpContext http, IAntiforgery af, DeliveryService deliveries, CancellationToken ct) =>
            HtmlPage.View<DeliveriesPage>(new { Token = FormToken.For(http, af),
                Rows = (IReadOnlyList<DeliveryService.Delivery>)await deliveries.RecentAsync(DeliveryRows, ct),
                Limit = DeliveryRows }));

        // Re-sending asks first: the GET shows what would go out again, only the POST (with its token) sends. The
        // page names the re-send it confirms (its number): that confirmation sends once, however often it is posted.
        admin.MapGet("/zustellungen/{id:long}/erneut-senden",
            async (long id, HttpContext http, IAntiforgery af, DeliveryService deliveries, CancellationToken ct) =>
            await deliveries.GetAsync(id, ct) is { } delivery
                ? HtmlPage.View<ResendConfirmPage>(new { Token = FormToken.For(http, af), Delivery = delivery,
                    Number = await deliveries.ResendCountAsync(id, ct) + 1 })
                : Results.NotFound());

        admin.MapPost("/zustellungen/{id:long}/erneut-senden",
            async (long id, HttpContext http, IAntiforgery af, DeliveryService deliveries, CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                "Ungültiges Formular (Anti-Forgery-Token).");
            if (await deliveries.GetAsync(id, ct) is null) return Results.NotFound();
            var form = await http.Request.ReadFormAsync(ct);
            var next = await deliveries.ResendCountAsync(id, ct) + 1;
            if (!int.TryParse(form[ResendConfirmPage.NumberField], NumberStyles.None, CultureInfo.InvariantCulture,
                out var number) || number < 1 || number > next)
                return Results.Problem("Die Bestätigung ist unvollständig. Bitte „Erneut senden“ neu aufrufen.",
                    statusCode: StatusCodes.Status400BadRequest);
            var (newId, created) = number < next ? (0L, false) : await deliveries.ResendAsync(id, number, ct);
            return created
                ? Results.LocalRedirect($"/admin/zustellungen#delivery-{newId}")
                : Results.Problem("Diese Bestätigung wurde bereits verwendet: die Mail ist schon erneut versandt "
                    + "worden und geht nicht noch einmal hinaus. Für einen weiteren Versand bitte „Erneut senden“ "
                    + "neu aufrufen.", statusCode: StatusCodes.Status409Conflict);
        }).DisableAntiforgery();

        // ----- Submission ledger (provider x period, from SubmissionLedger), filtered by period and provider -----
        admin.MapGet("/abgaben", async (HttpContext http, IAntiforgery af, SubmissionLedger ledger,
            string? zeitraum, string? dienstleister, CancellationToken ct) =>
        {
            var all = await ledger.ListAsync(null, ct);
            var period = string.IsNullOrWhiteSpace(zeitraum) ? null : zeitraum;
            var provider = string.IsNullOrWhiteSpace(dienstleister) ? null : dienstleister;
            IReadOnlyList<LedgerRow> rows = all.Where(r => (period is null || r.Period == period)
                && (provider is null || r.ProviderCode == provider)).ToList();
            IReadOnlyList<string> periods = all.Select(r => r.Period).Distinct().OrderDescending().ToList();
            IReadOnlyList<(string, string)> providers = all.Select(r => (r.ProviderCode, r.ProviderName)).Distinct()
                .OrderBy(p => p.ProviderName, StringComparer.Create(German, false)).ToList();
            return HtmlPage.View<LedgerPage>(new { Token = FormToken.For(http, af), Rows = rows, Periods = periods,
                Providers = providers, Period = period, Provider = provider });
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

    const int DeliveryRows = 200;

    static IResult SignInPage(HttpContext http, IAntiforgery af, AdminOptions admin, string? returnUrl, string? error,
        int status = 200) =>
        HtmlPage.View<AdminSignIn>(new { Token = FormToken.For(http, af),
            ReturnUrl = IsLocal(returnUrl) ? returnUrl! : "/admin", Error = error, Configured = admin.IsConfigured },
            status);

    // As LocalRedirect judges it (no control characters, tab and CR/LF among them): what passes here never throws.
    static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//")
        && !url.StartsWith("/\\")
        && !InputGuard.HasControlChars(url);

}
