using Microsoft.AspNetCore.Builder;
using Reporting.Web;

namespace Reporting;

/// <summary>Builds the app's host the same way for every verb: content root, configuration, AddReporting().</summary>
public static class ReportingHost
{
    /// <summary>The web host (serve): API, portal, job console.</summary>
    public static WebApplicationBuilder CreateWebBuilder(string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppPaths.FindContentRoot() });
        Configure(builder);
        builder.AddReporting();
        builder.AddWeb();             // Web/: admin sign-in, policies, OpenAPI, health, admin pages
        return builder;
    }

    /// <summary>A host without HTTP (worker, command-line verbs): same configuration and services.</summary>
    public static HostApplicationBuilder CreateBuilder(Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppPaths.FindContentRoot() });
        Configure(builder);
        configure?.Invoke(builder);
        builder.AddReporting();
        return builder;
    }

    static void Configure(IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
    }
}
