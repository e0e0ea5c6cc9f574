using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Reporting.Access;

/// <summary>
/// Who may do what, in one place: the provider API key scheme, the admin and portal sign-in cookies, their
/// sessions, the sign-in throttle and the policies every endpoint names.
/// </summary>
public static class AccessFeature
{
    /// <summary>
    /// Schemes that may carry a provider principal, and those for admins; policies use those registered.
    /// </summary>
    public static readonly string[] ProviderSchemes = [Auth.ApiKeyScheme, Auth.ProviderCookieScheme];
    public static readonly string[] AdminSchemes = [Auth.AdminCookieScheme];

    public static void AddAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ProviderKeys>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<AdminSignInFailures>();

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Auth.ApiKeyScheme, null)
            .AddCookie(Auth.AdminCookieScheme, o =>
            {
                o.LoginPath = "/admin/anmelden";
                o.LogoutPath = "/admin/abmelden";
                o.AccessDeniedPath = "/admin/anmelden";
                o.Cookie.Name = "reporting.admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The API's policies challenge the API key scheme and this one: an API client gets the key scheme's
                // answer (401 with WWW-Authenticate: Bearer, or 429), not a redirect to the HTML sign-in page.
                o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden);
            })
            // The provider portal's sign-in (API key once, then this cookie). SameSite=Strict: no other site can
            // make a browser upload with it.
            .AddCookie(Auth.ProviderCookieScheme, o =>
            {
                o.LoginPath = "/portal/anmelden";
                o.LogoutPath = "/portal/abmelden";
                o.AccessDeniedPath = "/portal/anmelden";
                o.Cookie.Name = "reporting.provider";
                // The API answers for itself (401/429 from the API-key scheme, which challenges first).
                o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden);
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        builder.AddWebSessions();
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiForbiddenAnswer>();
        // Policies name their schemes explicitly, but only those registered.
        builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthenticationOptions>>((authz, authn) =>
        {
            var registered = authn.Value.Schemes.Select(s => s.Name).ToHashSet();
            var provider = ProviderSchemes.Where(registered.Contains).ToArray();
            var admin = AdminSchemes.Where(registered.Contains).ToArray();
            authz.AddPolicy(Auth.ProviderPolicy, p => p.AddAuthenticationSchemes(provider)
                .RequireRole(Auth.ProviderRole).RequireClaim(Auth.ProviderClaim));
            authz.AddPolicy(Auth.ApiProviderPolicy, p => p.AddAuthenticationSchemes(Auth.ApiKeyScheme)
                .RequireRole(Auth.ProviderRole).RequireClaim(Auth.ProviderClaim));
            // Without an admin scheme, the API key scheme answers (401/403): never an unknown default scheme.
            authz.AddPolicy(Auth.AdminPolicy, p => p.AddAuthenticationSchemes(admin.Length > 0 ? admin : provider)
                .RequireRole(Auth.AdminRole));
            authz.AddPolicy(Auth.ApiAdminPolicy, p => p.AddAuthenticationSchemes([.. admin, .. provider])
                .RequireRole(Auth.AdminRole));
            authz.AddPolicy(Auth.ProviderOrAdminPolicy, p => p.AddAuthenticationSchemes([.. provider, .. admin])
                .RequireAssertion(c => c.User.IsAdmin()
                    || (c.User.IsInRole(Auth.ProviderRole) && c.User.ProviderCode() is not null)));
        });
    }

    /// <summary>
    /// Pages are sent to the sign-in page; the API is never redirected and never left at 200: a cookie alone
    /// answers 401 (no credential) or 403 (not allowed) there, the API key scheme adds its WWW-Authenticate.
    /// </summary>
    static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.Redirect(ctx.RedirectUri);
        else if (ctx.Response.StatusCode == StatusCodes.Status200OK) ctx.Response.StatusCode = apiStatus;
        return Task.CompletedTask;
    }
}
