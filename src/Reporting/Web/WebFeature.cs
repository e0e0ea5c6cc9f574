using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Reporting.Web;

/// <summary>The web host's own services and middleware: admin sign-in, policies, OpenAPI, health, admin pages.</summary>
public static class WebFeature
{
    public static void AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
        builder.Services.Configure<WebOptions>(builder.Configuration.GetSection(WebOptions.Section));
        builder.Services.AddAuthentication()
            .AddCookie(Auth.AdminCookieScheme, o =>
            {
                o.LoginPath = "/admin/anmelden";
                o.LogoutPath = "/admin/abmelden";
                o.AccessDeniedPath = "/admin/anmelden";
                o.Cookie.Name = "reporting.admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The API's policies challenge the API key scheme and this one: an API client gets the key scheme's
                // answer (401 with WWW-Authenticate: Bearer, or 429), not a redirect to the HTML sign-in page.
                o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx);
            })
            // The provider portal's sign-in (API key once, then this cookie); UploadsFeature's provider policies use it
            // because it is registered. SameSite=Strict: no other site can make a browser upload with it.
            .AddCookie(Auth.ProviderCookieScheme, o =>
            {
                o.LoginPath = "/portal/anmelden";
                o.LogoutPath = "/portal/abmelden";
                o.AccessDeniedPath = "/portal/anmelden";
                o.Cookie.Name = "reporting.provider";
                // The API answers for itself (401/429 from the API-key scheme, which challenges first): no sign-in redirect there.
                o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx);
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        builder.AddWebSessions();
        // The policies (Admin among them) are defined once, in UploadsFeature, over the schemes registered.
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "reporting.af");
        builder.Services.AddOpenApi("v1");
    }

    /// <summary>Middleware and the endpoints of Web/ (call before the feature endpoints).</summary>
    public static void MapWeb(this WebApplication app)
    {
        app.UseConfiguredForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseInputGuard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealth();
        app.MapAdminPages();
        app.MapProviderPortal();
    }

    static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
