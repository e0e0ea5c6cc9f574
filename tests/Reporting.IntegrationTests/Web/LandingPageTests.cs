using System.Net;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

/// <summary>The start page and the one stylesheet, as the real host on Kestrel serves them.</summary>
public sealed class LandingPageTests
{
    [Fact]
    public async Task The_start_page_says_in_German_what_this_is_and_links_to_the_portal_and_the_admin_sign_in()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"de\">", html);
        Assert.Contains("href=\"/portal\"", html);
        Assert.Contains("href=\"/admin/anmelden\"", html);
        Assert.Contains("href=\"#inhalt\"", html);
        Assert.Matches("<link rel=\"stylesheet\" href=\"/site.css\" ?/?>", html);
        Assert.DoesNotContain("<style", html);
    }

    [Fact]
    public async Task The_stylesheet_is_served_by_the_app_itself_and_revalidated_by_its_ETag()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var css = await http.GetAsync("/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(":focus-visible", await css.Content.ReadAsStringAsync());
        Assert.NotNull(css.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/site.css")
            { Headers = { IfNoneMatch = { css.Headers.ETag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
    }
}
