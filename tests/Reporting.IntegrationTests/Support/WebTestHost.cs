using Microsoft.AspNetCore.Builder;
using Reporting.Scheduling;
using Reporting.Access;

namespace Reporting.IntegrationTests.Support;

/// <summary>The real web app on Kestrel, on a random loopback port, against a test database.</summary>
public sealed class WebTestHost : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Geheim-für-Tests-2026!";

    WebTestHost(WebApplication app, string baseUrl,
        string jobsDir) { App = app; BaseUrl = baseUrl; this.jobsDir = jobsDir; }

    readonly string jobsDir;
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<WebTestHost> StartAsync(TestDatabase db, bool withWorkers = false,
        params (string Key, string Value)[] settings)
    {
        var jobs = Directory.CreateTempSubdirectory("web-jobs-").FullName;
        var builder = ReportingHost.CreateWebBuilder(["--urls", "http://127.0.0.1:0"]);
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Reporting"] = db.ConnectionString,
            ["Paths:Jobs"] = jobs,
            ["Admin:UserName"] = AdminUser,
            ["Admin:Password"] = AdminPassword,
            ["Scheduling:SchedulePollingSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key,
            value) in settings) values[key] = value;   // a test's own setting wins (e.g. its own Paths:Jobs)
        builder.Configuration.AddInMemoryCollection(values);
        if (withWorkers) builder.AddJobServer();
        var app = builder.Build();
        app.MapReporting();
        await app.StartAsync();
        return new WebTestHost(app, app.Urls.First().TrimEnd('/'), jobs);
    }

    public HttpClient Client(bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects,
            UseCookies = true }) { BaseAddress = new Uri(BaseUrl) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(jobsDir, recursive: true);
    }
}
