using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.Access;

/// <summary>
/// Scheme <see cref="Auth.ApiKeyScheme"/>: <c>Authorization: Bearer &lt;key&gt;</c> -> a provider principal (role
/// provider, claim provider = code). Wrong keys count in the shared <see cref="SignInThrottle"/> per client address:
/// their answers are slowed, and past the limit they get 429; a valid key from that address still works.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ProviderKeys keys, SignInThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    const string Blocked = "apikey.blocked";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var code = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (code is null)
        {
            var address = SignInThrottle.Address(Context);
            var blocked = throttle.IsLockedOut(address);
            await Task.Delay(throttle.RecordFailure(address), Context.RequestAborted);
            if (!blocked) return AuthenticateResult.Fail("unknown or revoked API key");
            Context.Items[Blocked] = throttle.RetryAfterSeconds(address);
            return AuthenticateResult.Fail("too many failed API key attempts");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, code), new Claim(ClaimTypes.Role, Auth.ProviderRole),
                new Claim(Auth.ProviderClaim, code)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(Blocked, out var retryAfter))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = retryAfter?.ToString();
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
