namespace Reporting.Access;

/// <summary>
/// Who may do what. Providers authenticate with their API key (Authorization: Bearer ...; the portal keeps it in
/// a cookie after sign-in); admins sign in with credentials from configuration. Every endpoint names a policy.
/// </summary>
public static class Auth
{
    public const string ApiKeyScheme = "ApiKey";
    public const string ProviderCookieScheme = "ProviderCookie";
    public const string AdminCookieScheme = "AdminCookie";

    /// <summary>Role claim values (ClaimTypes.Role).</summary>
    public const string ProviderRole = "provider";
    public const string AdminRole = "admin";

    /// <summary>Claim carrying the provider code of a provider principal.</summary>
    public const string ProviderClaim = "provider";

    /// <summary>Policy: an authenticated provider (API key or portal cookie).</summary>
    public const string ProviderPolicy = "Provider";

    /// <summary>
    /// Policy: a provider by API key only. For the API's writes: a browser sends the portal cookie along with a forged
    /// cross-site form post, never an Authorization header; the portal's own upload form carries an anti-forgery token.
    /// </summary>
    public const string ApiProviderPolicy = "ApiProvider";

    /// <summary>Policy: an admin.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>
    /// Policy: an admin, for the API. An API key is read too, so a provider's key is refused as such (403) and
    /// nobody gets the sign-in page: no credential is 401 with WWW-Authenticate: Bearer, as on every /api route.
    /// </summary>
    public const string ApiAdminPolicy = "ApiAdmin";

    /// <summary>Policy: a provider or an admin (reads that are scoped by who asks).</summary>
    public const string ProviderOrAdminPolicy = "ProviderOrAdmin";

    public static string? ProviderCode(this System.Security.Claims.ClaimsPrincipal user)
        => user.FindFirst(ProviderClaim)?.Value;
    public static bool IsAdmin(this System.Security.Claims.ClaimsPrincipal user) => user.IsInRole(AdminRole);
}
