using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Reporting.Web;

/// <summary>The web host's own services and middleware: admin sign-in, policies, OpenAPI, health, admin pages.</summary>
public static class WebFeature
{
    public static void AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
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
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // The API's policies challenge the API key scheme and this one: an API client must get the key scheme's
                // answer (401 with WWW-Authenticate: Bearer, or 429), not a redirect to the HTML sign-in page.
                o.Events.OnRedirectToLogin = c => ApiOrRedirect(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiOrRedirect(c, StatusCodes.Status403Forbidden);
            });
        // The policies (Admin among them) are defined once, in UploadsFeature, over the schemes registered.
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "reporting.af");
        builder.Services.AddOpenApi("v1");
    }

    /// <summary>Middleware and the endpoints of Web/ (call before the feature endpoints).</summary>
    public static void MapWeb(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealth();
        app.MapAdminPages();
    }

    static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> c, int apiStatus)
    {
        if (c.Request.Path.StartsWithSegments("/api"))
        {
            if (c.Response.StatusCode == StatusCodes.Status200OK) c.Response.StatusCode = apiStatus;
        }
        else c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }

    public static ClaimsPrincipal AdminPrincipal(string userName) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName), new Claim(ClaimTypes.Role, Auth.AdminRole)], Auth.AdminCookieScheme));
}
