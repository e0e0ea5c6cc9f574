using System.Net;
using System.Text.RegularExpressions;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.IntegrationTests.Web;

public sealed partial class PortalUploadTests
{
    [Fact]
    public async Task A_portal_upload_of_bytes_another_provider_holds_is_answered_like_a_fresh_one_of_its_own()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        var keys = web.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "KDZ Auenland");
        await keys.EnsureAsync("ITVB", "ITV Brückenfeld");
        var held = Guid.NewGuid().ToByteArray();
        var theirs = await web.Services.GetRequiredService<UploadStore>().StoreAsync(held, "ITVB-2025.xlsx", "ITVB",
            "test");
        using var browser = new WebSignIn(web);
        await browser.PortalAsync(await keys.IssueKeyAsync("KDZA"));

        var same = await UploadAsync(browser, held);
        var fresh = await UploadAsync(browser, Guid.NewGuid().ToByteArray());

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal(fresh.StatusCode, same.StatusCode);
        var location = same.Headers.Location!.OriginalString;
        Assert.Matches("^/portal/meldungen/[0-9]+$", location);
        Assert.NotEqual($"/portal/meldungen/{theirs.VersionId}", location);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(location)).StatusCode);
        // Its own bytes again lead to the version it already has: the overview says when they came and links it.
        var again = (await UploadAsync(browser, held)).Headers.Location!.OriginalString;
        Assert.Equal($"/portal?bereits={location["/portal/meldungen/".Length..]}#already", again);
        var page = await browser.Http.GetStringAsync(again);
        Assert.Matches("Diese Datei haben Sie bereits am [0-9]{2}\\.[0-9]{2}\\.[0-9]{4} um [0-9]{2}:[0-9]{2} Uhr "
            + "eingereicht", page);
        Assert.Contains($"href=\"{location}\" id=\"already-link\"", page);
        // Another provider's version named in the address is not mentioned.
        var foreign = await browser.Http.GetStringAsync($"/portal?bereits={theirs.VersionId}");
        Assert.DoesNotContain("id=\"already\"", foreign);
        Assert.DoesNotContain("ITVB-2025.xlsx", foreign);
    }

    static async Task<HttpResponseMessage> UploadAsync(WebSignIn browser, byte[] bytes)
    {
        var page = await browser.Http.GetStringAsync("/portal");
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(bytes), "file", "KDZA-2025.xlsx" },
        };
        return await browser.Http.PostAsync("/portal/hochladen", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
