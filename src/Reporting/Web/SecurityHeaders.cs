using Microsoft.AspNetCore.HttpOverrides;
using System.Net;

namespace Reporting.Web;

/// <summary>
/// Headers on every response: a Content-Security-Policy (no framing, scripts only from this origin), nosniff and
/// no referrer. The Hangfire dashboard loads its scripts from its own paths but sets inline style attributes, so
/// styles may be inline everywhere (our pages carry one style element); scripts never.
/// </summary>
public static class SecurityHeaders
{
    public const string Csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void UseSecurityHeaders(this WebApplication app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.ContentSecurityPolicy = Csp;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>X-Forwarded-For/-Proto from the proxies in Web:KnownProxies only (none by default: ignored).</summary>
    public static void UseConfiguredForwardedHeaders(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(WebOptions.Section).Get<WebOptions>()?.KnownProxies ?? [];
        // Empty lists would make the middleware trust every sender: without a configured proxy, no middleware.
        if (proxies.Length == 0) return;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
        };
        // The defaults trust loopback; only what is configured is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var p in proxies)
            options.KnownProxies.Add(IPAddress.TryParse(p, out var ip)
                ? ip
                : throw new InvalidOperationException($"Web:KnownProxies: '{p}' is not an IP address"));
        app.UseForwardedHeaders(options);
    }
}
