using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.Uploads;

namespace Reporting.Web;

/// <summary>
/// Scheme <see cref="Auth.ApiKeyScheme"/>: <c>Authorization: Bearer &lt;key&gt;</c> -> a provider principal (role
/// provider, claim provider = code). Failed attempts are counted per client address; too many give 429.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ProviderKeys keys, FailedKeyAttempts failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    const string Blocked = "apikey.blocked";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failures.IsBlocked(client))
        {
            Context.Items[Blocked] = true;
            return AuthenticateResult.Fail("too many failed API key attempts");
        }
        var code = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (code is null)
        {
            failures.Record(client);
            return AuthenticateResult.Fail("unknown or revoked API key");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, code), new Claim(ClaimTypes.Role, Auth.ProviderRole), new Claim(Auth.ProviderClaim, code)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(Blocked))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "900";
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

/// <summary>Failed key attempts per client address in a sliding window (in memory; each process counts its own).</summary>
public sealed class FailedKeyAttempts(IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> attempts = new();

    public bool IsBlocked(string client) =>
        attempts.TryGetValue(client, out var q) && Prune(q) >= options.Value.MaxFailedAttempts;

    public void Record(string client)
    {
        var q = attempts.GetOrAdd(client, _ => new());
        q.Enqueue(clock.GetUtcNow());
        Prune(q);
    }

    int Prune(ConcurrentQueue<DateTimeOffset> q)
    {
        var since = clock.GetUtcNow().AddMinutes(-options.Value.FailedWindowMinutes);
        while (q.TryPeek(out var t) && t < since) q.TryDequeue(out _);
        return q.Count;
    }
}
