using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Reporting.Web.Views;

/// <summary>
/// The app's one stylesheet, compiled into the binary (like the schema) so `dotnet run` from any folder, a published
/// app and a test host all serve it without a wwwroot beside the content root. Served from this origin: the CSP
/// allows styles from 'self' only.
/// </summary>
public static class SiteStylesheet
{
    public const string Path = "/site.css";
    const string Resource = "web/site.css";

    static readonly Lazy<(byte[] Bytes, EntityTagHeaderValue Tag)> Content = new(() =>
    {
        using var stream = typeof(SiteStylesheet).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"embedded resource {Resource} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, new EntityTagHeaderValue($"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\""));
    });

    public static void MapSiteStylesheet(this WebApplication app) =>
        app.MapGet(Path, (HttpContext http) =>
        {
            // Revalidated on each use (304 by the ETag), so a new version shows at once after an update.
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(Content.Value.Bytes, "text/css; charset=utf-8", entityTag: Content.Value.Tag);
        }).AllowAnonymous().ExcludeFromDescription();
}
