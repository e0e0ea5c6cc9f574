using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Security;

/// <summary>
/// A body that cannot be read is the caller's fault, wherever it is read (API, portal, admin forms): a 4xx with a
/// German problem body, never a 500, and never "too large" for what is merely malformed.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class BadBodyAnswerTests
{
    const string Boundary = "grenze-1234";

    /// <summary>A multipart form with one file that stops in the middle of the file: no closing boundary.</summary>
    static ByteArrayContent CutShortMultipart(string? token = null)
    {
        var text = (token is null ? "" : $"--{Boundary}\r\nContent-Disposition: form-data; "
                + $"name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n")
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"KDZA-2025.xlsx\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\nPK\u0003\u0004 die Datei bricht hier ab";
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(text));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return content;
    }

    /// <summary>A well-formed multipart body whose Content-Type forgot the boundary parameter.</summary>
    static ByteArrayContent MultipartWithoutBoundary()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK\r\n"
            + $"--{Boundary}--\r\n"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        return content;
    }

    static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("limit", body, StringComparison.OrdinalIgnoreCase);   // the reader's English message
        return detail;
    }

    [Fact]
    public async Task A_cut_short_or_boundaryless_multipart_upload_to_the_api_is_a_German_400_and_nothing_is_stored()
    {
        await using var api = await ApiHost.StartAsync();
        var client = api.Client(api.KeyA);

        var cut = await AssertProblemAsync(await client.PostAsync("/api/returns", CutShortMultipart()),
            HttpStatusCode.BadRequest);
        var noBoundary = await AssertProblemAsync(await client.PostAsync("/api/returns", MultipartWithoutBoundary()),
            HttpStatusCode.BadRequest);

        Assert.Contains("unvollständig", cut);
        Assert.Contains("boundary", noBoundary);
        Assert.DoesNotContain("zu groß", noBoundary);
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<long>("select count(*) from uploads"));
    }

    [Fact]
    public async Task A_cut_short_or_boundaryless_portal_upload_is_a_German_400()
    {
        await using var api = await ApiHost.StartAsync();
        var (client, cookies, token) = await PortalFormAsync(api);

        using var cutRequest = new HttpRequestMessage(HttpMethod.Post, "/portal/hochladen")
            { Content = CutShortMultipart(token) };
        cutRequest.Headers.Add("Cookie", cookies);
        var cut = await AssertProblemAsync(await client.SendAsync(cutRequest), HttpStatusCode.BadRequest);
        using var bareRequest = new HttpRequestMessage(HttpMethod.Post, "/portal/hochladen")
            { Content = MultipartWithoutBoundary() };
        bareRequest.Headers.Add("Cookie", cookies);
        var bare = await AssertProblemAsync(await client.SendAsync(bareRequest), HttpStatusCode.BadRequest);

        Assert.Contains("unvollständig", cut);
        Assert.Contains("boundary", bare);
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<long>("select count(*) from uploads"));
    }

    [Fact]
    public async Task An_admin_form_over_4_MB_is_a_German_413_and_a_malformed_one_a_German_400()
    {
        await using var api = await ApiHost.StartAsync();
        var huge = new string('x', 5 * 1024 * 1024);
        var admin = api.Client(admin: true);

        // The sign-in form (anonymous) and a signed-in admin's form: both read the form for the anti-forgery check.
        foreach (var (client, path) in new[] { (api.Client(), "/admin/anmelden"),
            (admin, "/admin/zustellungen/1/erneut-senden"), (admin, "/admin/scenarios") })
        {
            var large = await client.PostAsync(path, new FormUrlEncodedContent([new("password", huge)]));
            Assert.Contains("zu groß", await AssertProblemAsync(large, HttpStatusCode.RequestEntityTooLarge));
            var cut = await client.PostAsync(path, CutShortMultipart());
            Assert.Contains("unvollständig", await AssertProblemAsync(cut, HttpStatusCode.BadRequest));
            var bare = await client.PostAsync(path, MultipartWithoutBoundary());
            Assert.Contains("boundary", await AssertProblemAsync(bare, HttpStatusCode.BadRequest));
        }
    }

    /// <summary>A portal client (signed in by its API key), its anti-forgery cookie header and form token.</summary>
    static async Task<(HttpClient Client, string Cookies, string Token)> PortalFormAsync(ApiHost api)
    {
        var client = api.Client(api.KeyA);
        var page = await client.GetAsync("/portal");
        var html = await page.Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(Regex.Match(html,
            "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        Assert.NotEmpty(token);
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        return (client, cookies, token);
    }
}
