using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Uploads;

/// <summary>
/// Per-provider upload rate and storage limits, checked before an upload's body is read (API and portal alike):
/// over a limit is 429 with Retry-After. Counted from the uploads table, so every web process sees the same figures.
/// </summary>
public sealed class UploadQuota(NpgsqlDataSource db, IOptions<UploadsOptions> options, TimeProvider clock)
{
    public sealed record Refusal(TimeSpan RetryAfter, string Message);

    /// <param name="incomingBytes">The declared size of the upload (Content-Length), when known.</param>
    public async Task<Refusal?> CheckAsync(string providerCode, long? incomingBytes, CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            select count(*) filter (where received_at > $2),
                   min(received_at) filter (where received_at > $2),
                   coalesce(sum(octet_length(content)
                     + coalesce((select sum(octet_length(c.bytes)) from upload_chunks c where c.upload_id = u.id), 0)),
                     0)::bigint
            from uploads u where provider_code = $1
            """);
        cmd.Parameters.Add(new() { Value = providerCode });
        cmd.Parameters.Add(new() { Value = now.AddHours(-1) });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var recent = r.GetInt64(0);
        var oldest = r.IsDBNull(1) ? now : r.GetFieldValue<DateTimeOffset>(1);
        var stored = r.GetInt64(2);

        if (o.MaxUploadsPerHour > 0 && recent >= o.MaxUploadsPerHour)
        {
            var wait = oldest.AddHours(1) - now;
            return new(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait,
                $"Zu viele Uploads: höchstens {o.MaxUploadsPerHour} je Stunde. Bitte später erneut versuchen.");
        }
        if (o.MaxStoredBytesPerProvider > 0 && stored + (incomingBytes ?? 0) > o.MaxStoredBytesPerProvider)
            return new(TimeSpan.FromDays(1),
                "Der Speicherplatz für Ihre Uploads ist erschöpft "
                + $"(höchstens {o.MaxStoredBytesPerProvider / (1024 * 1024)} MB). Abgelehnte Dateien werden nach "
                + "Ablauf der Aufbewahrungsfrist gelöscht; bitte wenden Sie sich an die Geschäftsstelle.");
        return null;
    }

    /// <summary>The 429 answer; Retry-After in whole seconds.</summary>
    public static IResult TooMany(HttpContext http, Refusal refusal)
    {
        http.Response.Headers.RetryAfter =
            Math.Ceiling(refusal.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(refusal.Message, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
