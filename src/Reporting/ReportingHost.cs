using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Console;
using Reporting.Logging;
using Reporting.Web;

namespace Reporting;

/// <summary>Builds the app's host the same way for every verb: content root, configuration, AddReporting().</summary>
public static class ReportingHost
{
    /// <summary>The web host (serve): API, portal, job console.</summary>
    public static WebApplicationBuilder CreateWebBuilder(string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [],
            ContentRootPath = AppPaths.FindContentRoot() });
        Configure(builder);
        builder.AddReporting();
        builder.AddWeb();             // Web/: OpenAPI, health, admin pages, portal
        return builder;
    }

    /// <summary>A host without HTTP (worker, command-line verbs): same configuration and services.</summary>
    public static HostApplicationBuilder CreateBuilder(Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { ContentRootPath = AppPaths.FindContentRoot() });
        Configure(builder);
        configure?.Invoke(builder);
        builder.AddReporting();
        return builder;
    }

    static void Configure(IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // Log lines go to stderr: a verb's stdout is its result.
        builder.Logging.AddConsole(o =>
            {
                o.FormatterName = OneLineConsoleFormatter.Name;
                o.LogToStandardErrorThreshold = LogLevel.Trace;
            })
            .AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>();
        // Resolved with the services, so a test's or a verb's own Paths:Logs counts.
        builder.Services.AddSingleton(sp => new FileLoggerProvider(sp.GetRequiredService<AppPaths>().Logs));
        builder.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<FileLoggerProvider>());
    }
}
