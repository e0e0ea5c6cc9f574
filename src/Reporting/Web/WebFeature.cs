using Hangfire;
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
        builder.Services.AddOpenApi("v1");
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
    /// own filter.
    /// </summary>
    public static void MapScheduling(this WebApplication app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],   // not the default LocalRequestsOnly: behind a proxy every request looks local
            AsyncAuthorization = [new AdminDashboardAuthorizationFilter()],
            DashboardTitle = "Jobkonsole Kennzahlen",
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Auth.AdminPolicy);
}
