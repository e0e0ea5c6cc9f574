namespace Reporting.Web;

/// <summary>Section "Web": the reverse proxies whose X-Forwarded-For/-Proto are believed (none by default).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>IP addresses of trusted proxies, e.g. ["10.0.0.5"]; empty: forwarded headers are ignored.</summary>
    public string[] KnownProxies { get; set; } = [];
}
