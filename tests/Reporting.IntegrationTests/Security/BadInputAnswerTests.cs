using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;
using Reporting.Kpis;

namespace Reporting.IntegrationTests.Security;

/// <summary>
/// Malformed input is a 400 with a problem body, and nothing answers differently for "not yours" and "not there".
/// </summary>
public sealed class BadInputAnswerTests
{
    [Theory]
    [InlineData("/api/kpis?period=2025%00")]
    [InlineData("/api/kpis?period=20%0725")]
    [InlineData("/api/kpis/explain?snapshot=1&kpi=total_cost&dimension=provider&slice=KDZA%00")]
    [InlineData("/api/template?period=2025%00")]
    [InlineData("/admin/anmelden?returnUrl=%2F%09%2Fevil.example")]
    [InlineData("/api/kpis/explain?snapshot=abc&kpi=total_cost&dimension=provider&slice=KDZA")]
    [InlineData("/api/kpis/explain?snapshot=99999999999999999999&kpi=total_cost&dimension=provider&slice=KDZA")]
    [InlineData("/api/kpis/explain?snapshot=1&kpi=total_cost&dimension=provider&slice=KDZA&limit=x")]
    public async Task A_control_character_or_a_malformed_value_in_the_query_is_a_400_with_a_problem_body(string path)
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.Client(api.KeyA).GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_NUL_byte_in_an_uploaded_file_name_is_a_400_and_nothing_is_stored()
    {
        await using var api = await ApiHost.StartAsync();
        var client = api.Client(api.KeyA);

        var raw = await client.PostAsync("/api/returns?fileName=a%00b.xlsx",
            new ByteArrayContent(Guid.NewGuid().ToByteArray()));
        var form = await client.PostAsync("/api/returns",
            new MultipartFormDataContent { { new ByteArrayContent(Guid.NewGuid().ToByteArray()), "file",
                "a\u0001b.xlsx" } });

        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal("application/problem+json", form.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<long>("select count(*) from uploads"));
    }

    [Fact]
    public async Task Explaining_another_providers_existing_value_answers_exactly_like_a_missing_one()
    {
        await using var api = await ApiHost.StartAsync();
        var s = api.Scenario;
        await s.Ingester.StoreAsync(await s.ReceiveAsync("KDZA"), s.Return("KDZA", "2025"));
        var snapshot = await s.App.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        var b = api.Client(api.KeyB);

        var others = await b.GetAsync(
            $"/api/kpis/explain?snapshot={snapshot}&kpi=total_cost&dimension=provider&slice=KDZA");
        var missing = await b.GetAsync(
            $"/api/kpis/explain?snapshot={snapshot}&kpi=total_cost&dimension=provider&slice=NIEMAND");
        var own = await api.Client(api.KeyA)
            .GetAsync($"/api/kpis/explain?snapshot={snapshot}&kpi=total_cost&dimension=provider&slice=KDZA");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(missing.StatusCode, others.StatusCode);
        Assert.Equal(Detail(await missing.Content.ReadAsStringAsync()),
            Detail(await others.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_portal_upload_of_another_providers_bytes_does_not_lead_to_that_providers_version()
    {
        await using var api = await ApiHost.StartAsync();
        var bytes = Guid.NewGuid().ToByteArray();
        var first = await api.Client(api.KeyA).PostAsync("/api/returns",
            new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "KDZA-2025.xlsx" } });
        var idA = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var response = await PortalUploadAsync(api, api.KeyB, bytes, "ITVB-2025.xlsx");

        // Stored as ITVB's own fresh upload (UploadStore): the redirect leads to its own new version.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Matches("/portal/meldungen/[0-9]+$", response.Headers.Location!.OriginalString);
        Assert.DoesNotContain($"meldungen/{idA}", response.Headers.Location!.OriginalString);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain($"meldungen/{idA}", body);
        Assert.DoesNotContain($"returns/{idA}", body);
        Assert.DoesNotContain("KDZA", body);
    }

    /// <summary>
    /// Through the portal's form, with its anti-forgery cookie and token (an API key signs the portal in too);
    /// <paramref name="chunked"/>: sent without Content-Length.
    /// </summary>
    internal static async Task<HttpResponseMessage> PortalUploadAsync(ApiHost api, string key, byte[] bytes,
        string fileName, bool chunked = false)
    {
        var client = api.Client(key);
        var page = await client.GetAsync("/portal");
        var html = await page.Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(Regex.Match(html,
            "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/portal/hochladen")
        {
            Content = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new ByteArrayContent(bytes), "file", fileName },
            },
        };
        if (chunked) request.Content = new Uploads.UnsizedContent(request.Content);
        request.Headers.Add("Cookie", cookies);
        return await client.SendAsync(request);
    }

    static string? Detail(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString();
}
