using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Reporting.Access;

namespace Reporting.Access;

/// <summary>Session state and lifetime for both cookie schemes (admin console, provider portal).</summary>
public static class SessionsFeature
{
    public static void AddWebSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionsOptions>().BindConfiguration(SessionsOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebSessions>();
        foreach (var scheme in new[] { Auth.AdminCookieScheme, Auth.ProviderCookieScheme })
            builder.Services.AddOptions<CookieAuthenticationOptions>(scheme).Configure<IOptions<SessionsOptions>>((o,
                s) =>
            {
                o.ExpireTimeSpan = TimeSpan.FromMinutes(s.Value.IdleMinutes);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = WebSessions.ValidatePrincipalAsync;
            });
    }
}
