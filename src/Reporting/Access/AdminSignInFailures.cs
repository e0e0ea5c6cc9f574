using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Access;

/// <summary>
/// Failed admin sign-ins from every address and every web process (table admin_sign_in_failures), counted for the
/// log and the admin start page. They never refuse anyone: refusals and delays are per address
/// (<see cref="SignInThrottle"/>), so failures from other addresses cannot lock the admin out, while the admin sees
/// that someone is guessing.
/// </summary>
public sealed class AdminSignInFailures(NpgsqlDataSource db, IOptions<SignInOptions> options, TimeProvider clock,
    ILogger<AdminSignInFailures> logger)
{
    /// <summary>Failures in the last <paramref name="WindowMinutes"/> minutes and the addresses they came from.
    /// </summary>
    /// <param name="Alarming">As many failures as lock one address out: more than one admin mistyping.</param>
    public sealed record Summary(long Failures, long Addresses, int WindowMinutes, bool Alarming);

    /// <summary>Records one failure; logs a warning each time the account-wide count reaches a multiple of the
    /// per-address limit.</summary>
    public async Task RecordAsync(string userName, string address, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var cmd = db.CreateCommand("""
            with gone as (delete from admin_sign_in_failures where failed_at < $4)
            insert into admin_sign_in_failures (user_name, address, failed_at) values ($1, $2, $3)
            """))
        {
            cmd.Parameters.Add(new() { Value = userName.Length > 64 ? userName[..64] : userName });
            cmd.Parameters.Add(new() { Value = address });
            cmd.Parameters.Add(new() { Value = now });
            cmd.Parameters.Add(new() { Value = now.AddDays(-1) });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var s = await RecentAsync(ct);
        var limit = options.Value.MaxFailedAttempts;
        if (s.Failures % limit == 0)
            logger.LogWarning("Admin sign-in: {Failures} failed attempts within {Minutes} minutes from {Addresses} "
                + "addresses (account-wide; refusals stay per address)", s.Failures, s.WindowMinutes, s.Addresses);
    }

    public async Task<Summary> RecentAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        await using var cmd = db.CreateCommand("""
            select count(*), count(distinct address) from admin_sign_in_failures where failed_at > $1
            """);
        cmd.Parameters.Add(new() { Value = clock.GetUtcNow().AddMinutes(-o.FailedWindowMinutes) });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var failures = r.GetInt64(0);
        return new(failures, r.GetInt64(1), o.FailedWindowMinutes, failures >= o.MaxFailedAttempts);
    }
}
