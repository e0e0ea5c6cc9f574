using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Web;

/// <summary>/openapi/v1.json against what the app maps and what the API really answers.</summary>
public sealed partial class OpenApiTests
{
    const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const string Problem = "application/problem+json";

    [Fact]
    public async Task Every_api_route_is_documented_with_its_methods_and_every_documented_path_exists()
    {
        await using var api = await ApiHost.StartAsync();
        var doc = await DocumentAsync(api);

        var routes = api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var documented = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {Normalise(p.Name)}"))
            .ToHashSet();

        Assert.Contains("POST /api/returns", routes);
        Assert.Empty(routes.Except(documented));
        Assert.Empty(documented.Where(d => d.Contains(" /api", StringComparison.Ordinal)).Except(routes));
        Assert.All(doc.GetProperty("paths").EnumerateObject().Where(p => !p.Name.StartsWith("/api"))
            .Select(p => p.Name), p => Assert.Contains(p, new[] { "/health" }));
    }

    [Fact]
    public async Task Submitting_a_return_is_documented_with_both_body_forms_the_bearer_scheme_and_every_answer()
    {
        await using var api = await ApiHost.StartAsync();
        var doc = await DocumentAsync(api);

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var post = doc.GetProperty("paths").GetProperty("/api/returns").GetProperty("post");
        var body = post.GetProperty("requestBody").GetProperty("content");
        var file = body.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties")
            .GetProperty("file");
        Assert.Equal("binary", file.GetProperty("format").GetString());
        Assert.Equal("binary", body.GetProperty(Xlsx).GetProperty("schema").GetProperty("format").GetString());
        Assert.Contains(post.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("bearer", out _));

        var responses = post.GetProperty("responses");
        Assert.Equal(["200", "202", "400", "401", "408", "413", "429", "503"],
            responses.EnumerateObject().Select(r => r.Name).Order());
        Assert.True(responses.GetProperty("202").GetProperty("content").TryGetProperty("application/json", out _));
        foreach (var code in new[] { "400", "408", "413", "429", "503" })
            Assert.True(responses.GetProperty(code).GetProperty("content").TryGetProperty(Problem, out _), code);
        Assert.False(responses.GetProperty("401").TryGetProperty("content", out _));
        Assert.True(responses.GetProperty("401").GetProperty("headers").TryGetProperty("WWW-Authenticate", out _));
        Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));

        foreach (var (path, method) in new[] { ("/api/returns/{id}", "get"), ("/api/returns/{id}/feedback", "get"),
            ("/api/returns/{id}/changes", "get"), ("/api/kpis", "get") })
        {
            var op = doc.GetProperty("paths").GetProperty(path).GetProperty(method);
            Assert.True(op.GetProperty("responses").TryGetProperty("200", out _), path);
            Assert.True(op.GetProperty("responses").TryGetProperty("401", out _), path);
            Assert.Contains(op.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("bearer", out _));
        }
        Assert.True(doc.GetProperty("paths").GetProperty("/api/returns/{id}/feedback").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty(Xlsx, out _));
    }

    [Fact]
    public async Task The_documented_answers_have_the_fields_the_api_really_sends()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxUploadBytes", "100000"));
        var doc = await DocumentAsync(api);
        var post = doc.GetProperty("paths").GetProperty("/api/returns").GetProperty("post").GetProperty("responses");
        using var provider = api.Client(api.KeyA);

        // 202, the raw body form
        var bytes = Guid.NewGuid().ToByteArray();
        var raw = new ByteArrayContent(bytes);
        raw.Headers.ContentType = new MediaTypeHeaderValue(Xlsx);
        var accepted = await provider.PostAsync("/api/returns?fileName=a.xlsx", raw);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var receipt = await JsonAsync(accepted);
        Assert.Equal(Properties(doc, post.GetProperty("202"), "application/json"), Names(receipt));

        // 200: the same bytes again, now as the multipart form
        var again = await provider.PostAsync("/api/returns", new MultipartFormDataContent
            { { new ByteArrayContent(bytes), "file", "b.xlsx" } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Properties(doc, post.GetProperty("200"), "application/json"), Names(await JsonAsync(again)));

        // GET /api/returns/{id}
        var id = receipt.GetProperty("id").GetInt64();
        var status = await provider.GetAsync($"/api/returns/{id}");
        var statusDoc = doc.GetProperty("paths").GetProperty("/api/returns/{id}").GetProperty("get")
            .GetProperty("responses").GetProperty("200");
        Assert.Equal(Properties(doc, statusDoc, "application/json"), Names(await JsonAsync(status)));
        var changes = await provider.GetAsync($"/api/returns/{id}/changes");
        var changesDoc = doc.GetProperty("paths").GetProperty("/api/returns/{id}/changes").GetProperty("get")
            .GetProperty("responses").GetProperty("200");
        Assert.Equal(Properties(doc, changesDoc, "application/json"), Names(await JsonAsync(changes)));

        // 400, 413: problem JSON with the documented fields (ProblemDetails: type, title, status, detail, ...)
        var empty = await provider.PostAsync("/api/returns", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(Problem, empty.Content.Headers.ContentType!.MediaType);
        var problemFields = Properties(doc, post.GetProperty("400"), Problem).ToHashSet();
        Assert.Subset(problemFields, ProblemNames(await JsonAsync(empty)));
        var large = await provider.PostAsync("/api/returns", new ByteArrayContent(new byte[100_001]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(Problem, large.Content.Headers.ContentType!.MediaType);
        Assert.Subset(problemFields, ProblemNames(await JsonAsync(large)));

        // 401: no body, WWW-Authenticate: Bearer
        var anonymous = await api.Client().PostAsync("/api/returns", new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(await anonymous.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_scenario_api_answers_anonymous_callers_provider_keys_and_admins_as_documented()
    {
        await using var db = await TestDatabase.CreateAsync();
        var key = await new Reporting.Access.ProviderKeys(db.DataSource).AddAsync("KDZA", "KDZ Auenland", null);
        await using var web = await WebTestHost.StartAsync(db);
        using var anonymousClient = web.Client();
        var doc = await DocumentAsync(anonymousClient);
        var responses = doc.GetProperty("paths").GetProperty("/api/scenarios").GetProperty("post")
            .GetProperty("responses");
        static StringContent Scenario() => new("{}", System.Text.Encoding.UTF8, "application/json");

        // 401: no body, WWW-Authenticate: Bearer (the app's own cookie handler answers too, not a sign-in page)
        Assert.False(responses.GetProperty("401").TryGetProperty("content", out _));
        Assert.True(responses.GetProperty("401").GetProperty("headers").TryGetProperty("WWW-Authenticate", out _));
        var anonymous = await anonymousClient.PostAsync("/api/scenarios", Scenario());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(await anonymous.Content.ReadAsByteArrayAsync());

        // 403: a provider's key is known, but scenarios are for admins; problem JSON with the documented fields
        using var providerClient = web.Client();
        providerClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var provider = await providerClient.PostAsync("/api/scenarios", Scenario());
        Assert.Equal(HttpStatusCode.Forbidden, provider.StatusCode);
        Assert.Equal(Problem, provider.Content.Headers.ContentType!.MediaType);
        Assert.Subset(Properties(doc, responses.GetProperty("403"), Problem).ToHashSet(),
            ProblemNames(await JsonAsync(provider)));

        // A signed-in admin gets past the policy: an empty scenario is the documented 400.
        using var admin = new WebSignIn(web);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.AdminAsync(WebTestHost.AdminPassword)).StatusCode);
        var empty = await admin.Http.PostAsync("/api/scenarios", Scenario());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(Problem, empty.Content.Headers.ContentType!.MediaType);
    }

    static Task<JsonElement> DocumentAsync(ApiHost api) => DocumentAsync(api.Client());

    static async Task<JsonElement> DocumentAsync(HttpClient client)
    {
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).Clone();
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static List<string> Names(JsonElement o) => o.EnumerateObject().Select(p => p.Name).Order().ToList();

    /// <summary>A problem body's fields but the trace id (ProblemDetails' extensions, open in the schema).</summary>
    static HashSet<string> ProblemNames(JsonElement o)
    {
        var names = Names(o).Where(n => n != "traceId").ToHashSet();
        Assert.Contains("detail", names);
        return names;
    }

    /// <summary>The property names of a response's schema for a media type, following a $ref.</summary>
    static List<string> Properties(JsonElement doc, JsonElement response, string mediaType)
    {
        var schema = response.GetProperty("content").GetProperty(mediaType).GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
            schema = doc.GetProperty("components").GetProperty("schemas")
                .GetProperty(reference.GetString()!.Split('/').Last());
        return schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();
    }

    /// <summary>"/api/returns/{id:long}" and "/api/returns/{id}" alike; "/api/kpis/" as "/api/kpis".</summary>
    static string Normalise(string route)
    {
        var plain = RouteParameter().Replace(route, "{$1}");
        return plain.Length > 1 ? plain.TrimEnd('/') : plain;
    }

    [GeneratedRegex(@"\{\*{0,2}(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
