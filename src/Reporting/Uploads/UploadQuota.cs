using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Uploads;

/// <summary>
/// Per-provider upload rate and storage limits (API and portal alike): over a limit is 429 with Retry-After. An
/// upload counts against the hourly rate when it starts (upload_starts), so cut-off and refused uploads count too;
/// the storage limit is checked before the body is read (against Content-Length, when sent) and again on every byte
/// received (<see cref="Admission.StorageLeft"/>), so an upload without Content-Length cannot pass it. Counted in
/// PostgreSQL, so every web process sees the same figures.
/// </summary>
public sealed class UploadQuota(NpgsqlDataSource db, IOptions<UploadsOptions> options, TimeProvider clock)
{
    public sealed record Refusal(TimeSpan RetryAfter, string Message);

    /// <param name="StorageLeft">Bytes this upload may bring before the provider's storage is full
    /// (long.MaxValue without a limit).</param>
    /// <param name="Refused">Set when the upload may not start; then nothing was counted.</param>
    public sealed record Admission(long StorageLeft, Refusal? Refused);

    /// <summary>
    /// Checks both limits and, when the upload may start, counts it against the hourly rate (one transaction, under
    /// a lock per provider, so concurrent starts in several processes cannot all take the last one).
    /// </summary>
    /// <param name="incomingBytes">The declared size of the upload (Content-Length), when known.</param>
    public async Task<Admission> StartAsync(string providerCode, long? incomingBytes, CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            "select pg_advisory_xact_lock(hashtextextended('upload_starts:' || $1, 0))", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = providerCode });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        long recent, stored;
        DateTimeOffset oldest;
        await using (var cmd = new NpgsqlCommand("""
            with gone as (delete from upload_starts where principal = $1 and started_at <= $2)
            select (select count(*) from upload_starts where principal = $1 and started_at > $2),
                   (select min(started_at) from upload_starts where principal = $1 and started_at > $2),
                   (select coalesce(sum(octet_length(content)
                      + coalesce((select sum(octet_length(c.bytes)) from upload_chunks c where c.upload_id = u.id),
                          0)), 0)::bigint
                    from uploads u where provider_code = $1)
            """, conn, tx))
        {
            cmd.Parameters.Add(new() { Value = providerCode });
            cmd.Parameters.Add(new() { Value = now.AddHours(-1) });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            recent = r.GetInt64(0);
            oldest = r.IsDBNull(1) ? now : r.GetFieldValue<DateTimeOffset>(1);
            stored = r.GetInt64(2);
        }

        if (o.MaxUploadsPerHour > 0 && recent >= o.MaxUploadsPerHour)
        {
            var wait = oldest.AddHours(1) - now;
            return new(0, new(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait,
                $"Zu viele Uploads: höchstens {o.MaxUploadsPerHour} je Stunde. Bitte später erneut versuchen."));
        }
        var left = o.MaxStoredBytesPerProvider > 0 ? Math.Max(0, o.MaxStoredBytesPerProvider - stored) : long.MaxValue;
        if (left == 0 || incomingBytes > left) return new(0, StorageFull());

        await using (var cmd = new NpgsqlCommand(
            "insert into upload_starts (principal, started_at) values ($1, $2)", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = providerCode });
            cmd.Parameters.Add(new() { Value = now });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new(left, null);
    }

    /// <summary>The refusal when the provider's stored uploads (and this one, as far as it came) fill its storage.
    /// </summary>
    public Refusal StorageFull() => new(TimeSpan.FromDays(1),
        "Der Speicherplatz für Ihre Uploads ist erschöpft "
        + $"(höchstens {options.Value.MaxStoredBytesPerProvider / (1024 * 1024)} MB). Abgelehnte Dateien werden nach "
        + "Ablauf der Aufbewahrungsfrist gelöscht; bitte wenden Sie sich an die Geschäftsstelle.");

    /// <summary>The 429 answer; Retry-After in whole seconds.</summary>
    public static IResult TooMany(HttpContext http, Refusal refusal)
    {
        http.Response.Headers.RetryAfter =
            Math.Ceiling(refusal.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(refusal.Message, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
