using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Reporting.Web;

namespace Reporting.Uploads;

public static class UploadsFeature
{
    /// <summary>Schemes that may carry a provider principal, and those for admins; a policy uses the ones registered.</summary>
    public static readonly string[] ProviderSchemes = [Auth.ApiKeyScheme, Auth.ProviderCookieScheme];
    public static readonly string[] AdminSchemes = [Auth.AdminCookieScheme];

    public static void AddUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SignInOptions>(builder.Configuration.GetSection(SignInOptions.Section));
        builder.Services.AddSingleton<ProviderKeys>();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<UploadIntake>();
        builder.Services.AddSingleton<SampleReturns>();
        builder.Services.Configure<InboxOptions>(builder.Configuration.GetSection(InboxOptions.Section));
        builder.Services.AddTransient<InboxScanner>();
        builder.Services.AddHostedService<InboxScanner.Schedule>();
        builder.Services.Configure<UploadQuotaOptions>(builder.Configuration.GetSection(UploadQuotaOptions.Section));
        builder.Services.AddSingleton<UploadQuota>();
        builder.Services.AddSingleton<UploadGate>();
        builder.Services.AddTransient<RejectedUploadPruning>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SignInThrottle>();

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Auth.ApiKeyScheme, null);
        builder.Services.AddAuthorization();
        // Policies name their schemes explicitly, but only those registered: the admin and portal cookie schemes
        // arrive later (AddAuthentication().AddCookie(Auth.AdminCookieScheme) elsewhere) and join without changes here.
        builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthenticationOptions>>((authz, authn) =>
        {
            var registered = authn.Value.Schemes.Select(s => s.Name).ToHashSet();
            var provider = ProviderSchemes.Where(registered.Contains).ToArray();
            var admin = AdminSchemes.Where(registered.Contains).ToArray();
            authz.AddPolicy(Auth.ProviderPolicy, p => p.AddAuthenticationSchemes(provider)
                .RequireRole(Auth.ProviderRole).RequireClaim(Auth.ProviderClaim));
            authz.AddPolicy(Auth.ApiProviderPolicy, p => p.AddAuthenticationSchemes(Auth.ApiKeyScheme)
                .RequireRole(Auth.ProviderRole).RequireClaim(Auth.ProviderClaim));
            // Without an admin scheme yet, the API key scheme answers (401/403): never an unknown default scheme.
            authz.AddPolicy(Auth.AdminPolicy, p => p.AddAuthenticationSchemes(admin.Length > 0 ? admin : provider)
                .RequireRole(Auth.AdminRole));
            authz.AddPolicy(Auth.ProviderOrAdminPolicy, p => p.AddAuthenticationSchemes([.. provider, .. admin])
                .RequireAssertion(c => c.User.IsAdmin() || (c.User.IsInRole(Auth.ProviderRole) && c.User.ProviderCode() is not null)));
        });
    }

    public static void MapUploads(this WebApplication app)
    {
        app.MapReturnsApi();
    }
}
