using Reporting.Scheduling;

namespace Reporting.Cli;

/// <summary>
/// The app's services for a command-line verb, without the web server: database provisioned and migrated,
/// optionally a Hangfire server in this process (for verbs that run the pipeline as production would).
/// </summary>
public sealed class CliHost : IAsyncDisposable
{
    readonly IHost app;
    CliHost(IHost app) => this.app = app;

    public IServiceProvider Services => app.Services;
    public T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public static async Task<CliHost> StartAsync(bool withJobServer = false, bool migrate = true,
        CancellationToken ct = default, Needs needs = Needs.None, string? output = null)
    {
        var builder = ReportingHost.CreateBuilder(configure: b =>
        {
            // Verbs print their own results; the log shows only what goes wrong (Logging__LogLevel__Default=Information
            // for more).
            b.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning"),
                new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning")]);
            b.Configuration.AddEnvironmentVariables();
        });
        if (withJobServer) builder.AddJobServer();
        var app = builder.Build();
        var problems = Prerequisites.Check(app.Services, database: withJobServer || migrate, needs, output);
        if (problems.Count > 0)
        {
            await (app as IAsyncDisposable)!.DisposeAsync();
            throw new PrerequisitesMissingException(problems);
        }
        if (withJobServer || migrate)
            await app.StartAsync(ct);   // hosted services: migrations first, then the job server
        return new CliHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        try { await app.StopAsync(); } catch (InvalidOperationException) { /* never started */ }
        await (app as IAsyncDisposable)!.DisposeAsync();
    }
}
