using Hangfire;
using Microsoft.AspNetCore.Localization;
using Reporting.Access;
using Reporting.Web.Views;

namespace Reporting.Web;

/// <summary>The web host's own services and middleware: OpenAPI, health, admin pages, portal, API endpoints.</summary>
public static class WebFeature
{
    public static void AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "reporting.af");
        builder.Services.AddOpenApi("v1", ApiDocumentation.Configure);
        // Pages are Razor components rendered on the server by the endpoints (Web/Views); no interactivity.
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton<PortalData>();
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
        app.MapSiteStylesheet();
        app.MapGet("/", () => HtmlPage.View<Landing>()).AllowAnonymous().ExcludeFromDescription();
        app.MapAdminPages();
        app.MapProviderPortal();
    }

    /// <summary>The upload API (/api/returns...).</summary>
    public static void MapUploads(this WebApplication app) => app.MapReturnsApi();

    /// <summary>The KPI API (/api/kpis...).</summary>
    public static void MapKpis(this WebApplication app) => KpisApi.Map(app);

    /// <summary>The scenario API (POST /api/scenarios) and page (/admin/scenarios), admins only.</summary>
    public static void MapScenarios(this WebApplication app)
    {
        app.MapScenariosApi();
        app.MapScenariosPage();
    }

    /// <summary>
    /// The job console at /hangfire: admins only (cookie sign-in), checked by the endpoint policy and by Hangfire's
    /// own filter. It speaks the browser's language where Hangfire ships it: its texts come from resources of the
    /// request's UI culture and its dates follow the page's language, so a German browser gets German texts and
    /// 24-hour times; German is the default.
    /// </summary>
    public static void MapScheduling(this WebApplication app)
    {
        string[] cultures = ["de-DE", "de", "en-GB", "en"];
        var localization = new RequestLocalizationOptions()
            .SetDefaultCulture(cultures[0]).AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
        // Only Accept-Language decides: no query string or cookie switches the console's culture.
        localization.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/hangfire"),
            console => console.UseRequestLocalization(localization));
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],   // not the default LocalRequestsOnly: behind a proxy every request looks local
            AsyncAuthorization = [new AdminDashboardAuthorizationFilter()],
            DashboardTitle = "Jobkonsole Kennzahlen",
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Auth.AdminPolicy);
    }
}
