using System.Net;
using System.Text.Json;
using Npgsql;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

public sealed class WebTests
{
    [Fact]
    public async Task The_job_console_refuses_anonymous_users_and_sends_them_to_the_sign_in_page()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/enqueued", "/hangfire/stats", "/admin/zustellungen" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/anmelden", response.Headers.Location!.OriginalString.Replace(web.BaseUrl, ""));
        }
        // A provider's credentials are no admin sign-in either.
        using var request = new HttpRequestMessage(HttpMethod.Get,
            "/hangfire") { Headers = { { "Authorization", "Bearer some-provider-key" } } };
        Assert.Equal(HttpStatusCode.Redirect, (await http.SendAsync(request)).StatusCode);
        // Dashboard actions (POST) are refused too.
        Assert.NotEqual(HttpStatusCode.OK, (await http.PostAsync("/hangfire/recurring/trigger",
            new FormUrlEncodedContent([new("jobs[]", "file:x")]))).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_right_one_opens_the_job_console()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var wrong = await SignInAsync(http, "falsch");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Benutzername oder Passwort ist falsch", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/hangfire")).StatusCode);

        var right = await SignInAsync(http, WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var console = await http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("Jobkonsole Kennzahlen", await console.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_in_without_the_anti_forgery_token_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var response = await http.PostAsync("/admin/anmelden", new FormUrlEncodedContent([new("userName",
            WebTestHost.AdminUser), new("password", WebTestHost.AdminPassword)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Health_reports_the_database_and_live_workers_and_503_when_the_database_is_gone()
    {
        var db = await TestDatabase.CreateAsync();
        try
        {
            await using var web = await WebTestHost.StartAsync(db, withWorkers: true);
            using var http = web.Client();
            await SignInAsync(http, WebTestHost.AdminPassword);   // the details are for admins

            var health = await Eventually.WaitForAsync(async ()
                => JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement,
                h => h.GetProperty("liveWorkers").GetInt32() > 0, "the job server's first heartbeat");
            Assert.Equal("healthy", health.GetProperty("status").GetString());
            Assert.True(health.GetProperty("database").GetBoolean());

            await using (var conn = new NpgsqlConnection(await PostgresCluster.ServerConnectionStringAsync()))
            {
                await conn.OpenAsync();
                await using var drop = new NpgsqlCommand($"drop database {db.Name} with (force)", conn);
                await drop.ExecuteNonQueryAsync();
            }
            NpgsqlConnection.ClearAllPools();

            var down = await http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            // Sessions live in the database too, so without it nobody is known to be an admin: the status word only.
            Assert.Equal("unhealthy",
                JsonDocument.Parse(await down.Content.ReadAsStringAsync()).RootElement.GetProperty("status")
                    .GetString());
        }
        finally { await db.DisposeAsync(); }
    }

    [Fact]
    public async Task The_API_is_described_at_openapi_v1_json()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        Assert.True(doc.GetProperty("paths").TryGetProperty("/health", out _));
        Assert.False(doc.GetProperty("paths").TryGetProperty("/admin/anmelden", out _));
    }

    static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string password)
    {
        var page = await http.GetStringAsync("/admin/anmelden?returnUrl=%2Fhangfire");
        var token = System.Text.RegularExpressions.Regex.Match(page,
            "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return await http.PostAsync("/admin/anmelden", new FormUrlEncodedContent([
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token)), new("returnUrl", "/hangfire"),
            new("userName", WebTestHost.AdminUser), new("password", password)]));
    }
}
