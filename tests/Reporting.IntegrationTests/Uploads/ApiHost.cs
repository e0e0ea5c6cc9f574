using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.IntegrationTests.Ingestion;
using Reporting.Uploads;
using Reporting.Web;
using Reporting.Access;

namespace Reporting.IntegrationTests.Uploads;

/// <summary>
/// The web app (ReportingHost.CreateWebBuilder + MapReporting, as `serve` builds it) on an in-memory test server,
/// against an IntakeScenario's database; two providers with keys. The admin cookie scheme's handler is swapped for a
/// test one (header X-Test-Admin), so the policies use the real scheme name.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    ApiHost(IntakeScenario scenario, WebApplication app, string keyA, string keyB)
    {
        Scenario = scenario;
        App = app;
        KeyA = keyA;
        KeyB = keyB;
    }

    public IntakeScenario Scenario { get; }
    public WebApplication App { get; }
    public string KeyA { get; }
    public string KeyB { get; }

    public static Task<ApiHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(false, settings);

    /// <param name="withJobServer">Run Hangfire workers in the host, as `serve` does, so uploads are ingested.</param>
    public static Task<ApiHost> StartAsync(bool withJobServer, params (string Key, string Value)[] settings) =>
        StartAsync(withJobServer, testAdmin: true, settings);

    /// <summary>With the app's own admin cookie handler: no test header signs an admin in.</summary>
    public static Task<ApiHost> StartWithRealSignInAsync() => StartAsync(false, testAdmin: false, []);

    static async Task<ApiHost> StartAsync(bool withJobServer, bool testAdmin, (string Key, string Value)[] settings)
    {
        var scenario = await IntakeScenario.CreateAsync();
        var keys = scenario.App.Services.GetRequiredService<ProviderKeys>();
        var keyA = await keys.IssueKeyAsync("KDZA");
        var keyB = await keys.IssueKeyAsync("ITVB");

        var builder = ReportingHost.CreateWebBuilder();
        builder.Configuration.AddInMemoryCollection(
            new[] { new KeyValuePair<string, string?>("ConnectionStrings:Reporting", scenario.Db.ConnectionString) }
                .Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
                .Append(new("Scheduling:SchedulePollingSeconds", "1")));
        builder.WebHost.UseTestServer();
        if (withJobServer) Reporting.Scheduling.SchedulingFeature.AddJobServer(builder);
        // The real admin cookie scheme answers to a test header here: these tests are about the API, not sign-in
        // (the admin sign-in itself is tested in Web/).
        if (testAdmin)
            builder.Services.PostConfigure<AuthenticationOptions>(o
                => o.SchemeMap[Auth.AdminCookieScheme].HandlerType = typeof(TestAdminHandler));
        var app = builder.Build();
        app.MapReporting();
        await app.StartAsync();
        return new ApiHost(scenario, app, keyA, keyB);
    }

    public HttpClient Client(string? key = null, bool admin = false)
    {
        var client = App.GetTestClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (admin) client.DefaultRequestHeaders.Add("X-Test-Admin", "1");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Scenario.DisposeAsync();
    }

    sealed class TestAdminHandler(IOptionsMonitor<AuthenticationSchemeOptions> o, ILoggerFactory l, UrlEncoder e)
        : AuthenticationHandler<AuthenticationSchemeOptions>(o, l, e)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers.ContainsKey("X-Test-Admin")
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, Auth.AdminRole)], Scheme.Name)),
                        Scheme.Name))
                : AuthenticateResult.NoResult());

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
    }
}
