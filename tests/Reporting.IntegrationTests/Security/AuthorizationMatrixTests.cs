using System.Net;
using Microsoft.AspNetCore.Routing;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;
using Xunit.Abstractions;

namespace Reporting.IntegrationTests.Security;

/// <summary>
/// Every endpoint the app maps, asked by anonymous, provider A (KDZA), provider B (ITVB) and an admin. The list of
/// endpoints comes from the app's EndpointDataSource: a new endpoint without a row here fails the test.
/// Ids in the requests are provider A's: B must not see them (404, as if they did not exist).
/// </summary>
public sealed class AuthorizationMatrixTests(ITestOutputHelper output)
{
    /// <summary>Who asks, in the column order of the matrix.</summary>
    enum Who { Anonymous, ProviderA, ProviderB, Admin }

    /// <param name="Path">The request; {A} is replaced by provider A's return version id.</param>
    sealed record Row(string Method, string Path, int Anonymous, int ProviderA, int ProviderB, int Admin);

    /// <summary>Key: HTTP method and route pattern as the app maps it.</summary>
    static readonly Dictionary<string, Row> Matrix = new()
    {
        ["GET /health"] = new("GET", "/health", 200, 200, 200, 200),
        ["GET /"] = new("GET", "/", 200, 200, 200, 200),
        ["GET /site.css"] = new("GET", "/site.css", 200, 200, 200, 200),
        ["GET /openapi/{documentName}.json"] = new("GET", "/openapi/v1.json", 200, 200, 200, 200),
        // Authorised providers get past the policy to the empty-body check (400); admins do not submit (the policy
        // only reads API keys, so an admin cookie counts as no credential: 401). Likewise an API key counts for nothing
        // on the admin pages and the job console: 401, the same as anonymous.
        ["POST /api/returns"] = new("POST", "/api/returns", 401, 400, 400, 401),
        ["GET /api/returns/{id:long}"] = new("GET", "/api/returns/{A}", 401, 200, 404, 200),
        ["GET /api/returns/{id:long}/feedback"] = new("GET", "/api/returns/{A}/feedback", 401, 200, 404, 200),
        ["GET /api/returns/{id:long}/changes"] = new("GET", "/api/returns/{A}/changes", 401, 200, 404, 200),
        ["GET /api/template"] = new("GET", "/api/template?period=2025", 401, 200, 200, 200),
        // B asks for A's KPI rows: refused before anything is looked up; A and the admin get "nothing computed yet".
        ["GET /api/kpis/"] = new("GET", "/api/kpis?period=2025&scope=provider=KDZA", 401, 404, 403, 404),
        ["GET /api/kpis/explain"] = new("GET", "/api/kpis/explain?snapshot=1&kpi=x&dimension=provider&slice=KDZA", 401,
            400, 400, 400),
        // Admins only (cookie): a provider's key is known but not allowed (403). The admin's empty body: 400.
        ["POST /api/scenarios"] = new("POST", "/api/scenarios", 401, 403, 403, 400),
        ["GET /admin/scenarios/"] = new("GET", "/admin/scenarios", 401, 401, 401, 200),
        ["POST /admin/scenarios/"] = new("POST", "/admin/scenarios", 401, 401, 401, 400),
        ["GET /admin/anmelden"] = new("GET", "/admin/anmelden", 200, 200, 200, 200),
        // Without an anti-forgery token nobody gets further than 400.
        ["POST /admin/anmelden"] = new("POST", "/admin/anmelden", 400, 400, 400, 400),
        ["POST /admin/abmelden"] = new("POST", "/admin/abmelden", 401, 401, 401, 400),
        ["GET /admin/"] = new("GET", "/admin", 401, 401, 401, 200),
        ["GET /admin/zustellungen"] = new("GET", "/admin/zustellungen", 401, 401, 401, 200),
        // The confirmation page of a re-send; delivery 1 does not exist here, so an admin gets 404.
        ["GET /admin/zustellungen/{id:long}/erneut-senden"] = new("GET", "/admin/zustellungen/1/erneut-senden", 401,
            401, 401, 404),
        ["POST /admin/zustellungen/{id:long}/erneut-senden"] = new("POST", "/admin/zustellungen/1/erneut-senden", 401,
            401, 401, 400),
        ["GET /admin/abgaben"] = new("GET", "/admin/abgaben", 401, 401, 401, 200),
        // Links in executive mails: a random 128-bit id is the credential; an unknown one is 404 for everybody.
        ["GET /downloads/{id:guid}"] = new("GET", $"/downloads/{Guid.NewGuid()}", 404, 404, 404, 404),
        // The provider portal (cookie after sign-in; an API key counts too). Others are sent to its sign-in page.
        ["GET /portal/anmelden"] = new("GET", "/portal/anmelden", 200, 200, 200, 200),
        ["POST /portal/anmelden"] = new("POST", "/portal/anmelden", 400, 400, 400, 400),
        ["GET /portal/"] = new("GET", "/portal", 302, 200, 200, 302),
        ["GET /portal/meldungen/{id:long}"] = new("GET", "/portal/meldungen/{A}", 302, 200, 404, 302),
        ["POST /portal/hochladen"] = new("POST", "/portal/hochladen", 302, 400, 400, 302),
        ["POST /portal/abmelden"] = new("POST", "/portal/abmelden", 302, 400, 400, 302),
        ["* /hangfire/{**path}"] = new("GET", "/hangfire", 401, 401, 401, 200),
    };

    [Fact]
    public async Task Every_endpoint_answers_each_kind_of_caller_as_the_matrix_says()
    {
        await using var api = await ApiHost.StartAsync();
        await AssertMatrixAsync(api, Enum.GetValues<Who>(), _ => true);
    }

    /// <summary>
    /// The admin column above comes from a test sign-in handler; on the API, anonymous callers and providers must get
    /// the same answers from the app's own admin cookie handler, which takes part in the admin routes' challenge
    /// (pages redirect to the sign-in page instead, which the browser tests follow).
    /// </summary>
    [Fact]
    public async Task On_the_api_anonymous_callers_and_providers_get_the_same_answers_from_the_real_admin_cookie()
    {
        await using var api = await ApiHost.StartWithRealSignInAsync();
        await AssertMatrixAsync(api, [Who.Anonymous, Who.ProviderA, Who.ProviderB],
            row => row.Path.StartsWith("/api/", StringComparison.Ordinal));
    }

    async Task AssertMatrixAsync(ApiHost api, Who[] callers, Func<Row, bool> rows)
    {
        var s = api.Scenario;
        var versionA = await s.ReceiveAsync("KDZA");
        await s.Ingester.StoreAsync(versionA, s.Return("KDZA", "2025"));

        var endpoints = api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e
                => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().Order().ToList();
        var unlisted = endpoints.Where(e => !Matrix.ContainsKey(e)).ToList();
        Assert.True(unlisted.Count == 0, "endpoints without a row in the authorisation matrix: "
            + string.Join(", ", unlisted));

        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = api.Client(),
            [Who.ProviderA] = api.Client(api.KeyA),
            [Who.ProviderB] = api.Client(api.KeyB),
            [Who.Admin] = api.Client(admin: true),
        };
        var wrong = new List<string>();
        foreach (var (key, row) in Matrix.Where(m => endpoints.Contains(m.Key) && rows(m.Value)))
        {
            var path = row.Path.Replace("{A}", versionA.ToString(System.Globalization.CultureInfo.InvariantCulture),
                StringComparison.Ordinal);
            var expected = new[] { row.Anonymous, row.ProviderA, row.ProviderB, row.Admin };
            var actual = expected.ToArray();
            foreach (var who in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
                if (row.Method == "POST") request.Content = new ByteArrayContent([]);
                using var response = await clients[who].SendAsync(request);
                actual[(int)who] = (int)response.StatusCode;
            }
            output.WriteLine($"{key,-55} {string.Join(" ", actual)}");
            if (!expected.SequenceEqual(actual)) wrong.Add(
                $"{key}: expected {string.Join("/", expected)}, got {string.Join("/", actual)}");
        }
        Assert.True(wrong.Count == 0, "anonymous/A/B/admin:\n" + string.Join("\n", wrong));
        Assert.Equal(endpoints.Count, Matrix.Count(m => endpoints.Contains(m.Key)));
        Assert.Contains(Matrix, m => endpoints.Contains(m.Key) && rows(m.Value));
    }
}
