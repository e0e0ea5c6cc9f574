using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Access;

namespace Reporting.Access;

/// <summary>
/// Server-side state of the admin and portal cookies (table web_sessions): a session is valid while its row is not
/// ended, not past its absolute expiry, and its credential still holds — the provider's key unchanged (not revoked,
/// not replaced) or the admin's configured credentials unchanged. Checked on every request.
/// </summary>
public sealed class WebSessions(NpgsqlDataSource db, IOptionsMonitor<AdminOptions> admin,
    IOptions<SessionsOptions> options)
{
    /// <summary>Claim carrying the session id in both cookies.</summary>
    public const string SessionClaim = "session";

    TimeSpan Lifetime => TimeSpan.FromHours(options.Value.AbsoluteHours);

    public async Task<ClaimsPrincipal> StartProviderAsync(string code, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using var cmd = db.CreateCommand("""
            insert into web_sessions (id, kind, subject, credential, expires_at)
            select $1, 'provider', code, api_key_hash, now() + $3 from providers where code = $2
              and api_key_hash is not null
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = Lifetime });
        if (await cmd.ExecuteNonQueryAsync(ct) != 1) throw new InvalidOperationException($"provider {code} has no key");
        await PruneAsync(ct);
        return new(new ClaimsIdentity([
            new Claim(ClaimTypes.Name, code), new Claim(ClaimTypes.Role, Auth.ProviderRole),
            new Claim(Auth.ProviderClaim, code), new Claim(SessionClaim, id.ToString())], Auth.ProviderCookieScheme));
    }

    public async Task<ClaimsPrincipal> StartAdminAsync(CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var current = admin.CurrentValue;
        await using var cmd = db.CreateCommand("""
            insert into web_sessions (id, kind, subject, credential, expires_at)
              values ($1, 'admin', $2, $3, now() + $4)
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = current.UserName });
        cmd.Parameters.Add(new() { Value = Fingerprint(id, current) });
        cmd.Parameters.Add(new() { Value = Lifetime });
        await cmd.ExecuteNonQueryAsync(ct);
        await PruneAsync(ct);
        return new(new ClaimsIdentity([
            new Claim(ClaimTypes.Name, current.UserName), new Claim(ClaimTypes.Role, Auth.AdminRole),
            new Claim(SessionClaim, id.ToString())], Auth.AdminCookieScheme));
    }

    /// <summary>
    /// Ends the session named by the principal (sign-out); its cookie, wherever copied, stops working.
    /// </summary>
    public async Task EndAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        foreach (var claim in user.FindAll(SessionClaim))
        {
            if (!Guid.TryParse(claim.Value, out var id)) continue;
            await using var cmd = db.CreateCommand(
                "update web_sessions set ended_at = now() where id = $1 and ended_at is null");
            cmd.Parameters.Add(new() { Value = id });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<bool> IsValidAsync(ClaimsPrincipal user, string scheme, CancellationToken ct)
    {
        if (!Guid.TryParse(user.FindFirst(SessionClaim)?.Value, out var id)) return false;
        if (scheme == Auth.ProviderCookieScheme)
        {
            await using var cmd = db.CreateCommand("""
                select 1 from web_sessions s join providers p on p.code = s.subject
                where s.id = $1 and s.kind = 'provider' and s.subject = $2 and s.ended_at is null
                  and s.expires_at > now()
                  and p.active and p.api_key_hash = s.credential
                """);
            cmd.Parameters.Add(new() { Value = id });
            cmd.Parameters.Add(new() { Value = user.FindFirst(Auth.ProviderClaim)?.Value ?? "" });
            return await cmd.ExecuteScalarAsync(ct) is not null;
        }
        await using (var cmd = db.CreateCommand("""
            select credential from web_sessions where id = $1 and kind = 'admin' and ended_at is null
              and expires_at > now()
            """))
        {
            cmd.Parameters.Add(new() { Value = id });
            return await cmd.ExecuteScalarAsync(ct) is byte[] stored
                && admin.CurrentValue.IsConfigured
                && CryptographicOperations.FixedTimeEquals(stored, Fingerprint(id, admin.CurrentValue));
        }
    }

    /// <summary>
    /// The cookie schemes' OnValidatePrincipal: a session that is no longer valid signs the cookie out.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<WebSessions>();
        try
        {
            if (context.Principal is { } user
                && await sessions.IsValidAsync(user, context.Scheme.Name, context.HttpContext.RequestAborted)) return;
        }
        catch (NpgsqlException)
        {
            // The database is down: this request counts as anonymous, but the cookie stays for when it is back.
            context.RejectPrincipal();
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(context.Scheme.Name);
    }

    /// <summary>
    /// Binds an admin session to the credentials it was opened with, salted by the session id so the table holds
    /// nothing that helps guess the password.
    /// </summary>
    static byte[] Fingerprint(Guid session, AdminOptions o) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"{session:N}\n{o.UserName}\n{o.PasswordHash}\n{o.Password}"));

    async Task PruneAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("delete from web_sessions where expires_at < now() - interval '1 day'");
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
