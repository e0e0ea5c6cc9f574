using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Web;
using Reporting.Access;
using Reporting.IntegrationTests.Kpis;

namespace Reporting.IntegrationTests.Web;

public sealed class KpisApiTests
{
    /// <summary>
    /// Sets the claims the real schemes set (role, provider code) from a test header: "admin" or "provider:P1".
    /// </summary>
    sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> o, ILoggerFactory l,
        UrlEncoder e) : AuthenticationHandler<AuthenticationSchemeOptions>(o, l, e)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var who = Request.Headers["X-Test-User"].ToString();
            if (who.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
            var claims = who == "admin"
                ? new[] { new Claim(ClaimTypes.Role, Auth.AdminRole) }
                : [new Claim(ClaimTypes.Role, Auth.ProviderRole),
                    new Claim(Auth.ProviderClaim, who["provider:".Length..])];
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, "Test")));
        }
    }

    static async Task<WebApplication> StartAsync(TestDatabase db)
    {
        var builder = ReportingHost.CreateWebBuilder();
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:Reporting", db.ConnectionString),
            new("Kpis:AnonymityMinProviders", "3")]);
        builder.WebHost.UseTestServer();
        // The app's real schemes answer to a test header here; sign-in and keys are tested in Web/ and Uploads/.
        builder.Services.PostConfigure<AuthenticationOptions>(o =>
        {
            o.SchemeMap[Auth.ApiKeyScheme].HandlerType = typeof(TestAuthHandler);
            o.SchemeMap[Auth.AdminCookieScheme].HandlerType = typeof(TestAuthHandler);
        });
        var app = builder.Build();
        app.MapKpis();
        await app.StartAsync();
        return app;
    }

    static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(WebApplication app, string url, string? user)
    {
        using var client = app.GetTestClient();
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is not null) req.Headers.Add("X-Test-User", user);
        using var res = await client.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        return (res.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    static IEnumerable<(string Kpi, string Dim, string Key, string? Provider)> Values(JsonElement body) =>
        body.GetProperty("snapshot").GetProperty("values").EnumerateArray().Select(v => (
            v.GetProperty("kpiId").GetString()!, v.GetProperty("dimension").GetString()!,
                v.GetProperty("sliceKey").GetString()!,
            v.GetProperty("providerCode").GetString()));

    [Fact]
    public async Task The_KPI_API_serves_each_caller_its_own_slice()
    {
        await using var db = await TestDatabase.CreateAsync();
        var fx = await KpiFixture.CreateAsync(db);
        await using var app = await StartAsync(db);

        Assert.Equal(HttpStatusCode.NotFound,
            (await GetAsync(app, "/api/kpis?period=2025", "admin")).Status);   // nothing computed yet
        var snapshotId = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(app, "/api/kpis?period=2025", null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(app, "/api/kpis", "admin")).Status);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await GetAsync(app, "/api/kpis?period=2025&scope=kreis=1", "admin")).Status);

        var (status, body) = await GetAsync(app, "/api/kpis?period=2025&scope=district=05162&kpi=total_cost", "admin");
        Assert.Equal(HttpStatusCode.OK, status);
        var values = Values(body).ToList();
        Assert.All(values, v => Assert.Equal("total_cost", v.Kpi));
        Assert.Contains(values, v => v.Dim == "district" && v.Key == "05162");
        Assert.DoesNotContain(values, v => v.Dim == "district" && v.Key == "05111");
        Assert.Equal("district=05162", body.GetProperty("snapshot").GetProperty("scope").GetString());
        Assert.Equal(0.75m, body.GetProperty("snapshot").GetProperty("completeness").GetDecimal());
        Assert.Equal("IT-Gesamtkosten", body.GetProperty("kpis")[0].GetProperty("name").GetString());

        var (pStatus, pBody) = await GetAsync(app, "/api/kpis?period=2025", "provider:P1");
        Assert.Equal(HttpStatusCode.OK, pStatus);
        Assert.All(Values(pBody).Where(v => v.Provider is not null), v => Assert.Equal("P1", v.Provider));
        Assert.Contains(Values(pBody), v => v.Kpi == "total_cost" && v.Dim == "provider" && v.Key == "P1");
        // Three providers are too few for band means (two bands of three): a provider gets no comparison.
        Assert.Empty(pBody.GetProperty("snapshot").GetProperty("comparisons").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden,
            (await GetAsync(app, "/api/kpis?period=2025&scope=district=05162", "provider:P1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await GetAsync(app, "/api/kpis?period=2025&scope=provider=P2", "provider:P1")).Status);

        var (eStatus, eBody) = await GetAsync(app,
            $"/api/kpis/explain?snapshot={snapshotId}&kpi=total_cost&dimension=provider&slice=P1", "provider:P1");
        Assert.Equal(HttpStatusCode.OK, eStatus);
        Assert.All(eBody.GetProperty("facts").EnumerateArray(), f
            => Assert.Equal(fx.P1v2025, f.GetProperty("returnVersionId").GetInt64()));
        Assert.Equal(3, eBody.GetProperty("totalFacts").GetInt32());
        // Another provider's value answers like a missing one.
        Assert.Equal(HttpStatusCode.NotFound,
            (await GetAsync(app, $"/api/kpis/explain?snapshot={snapshotId}&kpi=total_cost&dimension=provider&slice=P2",
                "provider:P1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app,
            $"/api/kpis/explain?snapshot={snapshotId}&kpi=total_cost&dimension=nrw&slice=NRW", "admin")).Status);
    }
}
