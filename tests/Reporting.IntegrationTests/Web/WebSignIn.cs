using System.Net;
using System.Text.RegularExpressions;

namespace Reporting.IntegrationTests.Web;

/// <summary>
/// A browser-like client of a <see cref="Support.WebTestHost"/>: its own cookie jar, sign-in forms with their
/// anti-forgery tokens, and the raw cookie header so a test can replay a copied cookie.
/// </summary>
public sealed partial class WebSignIn : IDisposable
{
    readonly CookieContainer cookies = new();
    readonly Uri baseUri;

    public WebSignIn(Support.WebTestHost web)
    {
        baseUri = new Uri(web.BaseUrl);
        Http = new HttpClient(new HttpClientHandler { CookieContainer = cookies,
            AllowAutoRedirect = false }) { BaseAddress = baseUri };
    }

    public HttpClient Http { get; }

    public string CookieHeader => cookies.GetCookieHeader(baseUri);

    public Task<HttpResponseMessage> AdminAsync(string password, string userName = Support.WebTestHost.AdminUser) =>
        PostFormAsync("/admin/anmelden", "/admin/anmelden", ("userName", userName), ("password", password),
            ("returnUrl", "/admin"));

    public Task<HttpResponseMessage> PortalAsync(string key)
        => PostFormAsync("/portal/anmelden", "/portal/anmelden", ("key", key));

    /// <summary>Posts a form of the page at <paramref name="pagePath"/> with that page's anti-forgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string action,
        params (string Name, string Value)[] fields)
    {
        var page = await Http.GetStringAsync(pagePath);
        var token = TokenPattern().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);
        return await Http.PostAsync(action, new FormUrlEncodedContent(
            fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
                .Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token)))));
    }

    /// <summary>A request carrying exactly <paramref name="cookieHeader"/>, as a copy of the cookie would.</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(Support.WebTestHost web, string path, string cookieHeader)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
            { BaseAddress = new Uri(web.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Cookie", cookieHeader } } };
        return await http.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => Http.Dispose();
}
