using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reporting.Uploads;

/// <summary>
/// A process-wide bound on uploads being received and stored at once (API and portal together): each holds its
/// bytes in memory until PostgreSQL has them, so without a bound concurrent large uploads add up without limit.
/// Over the bound is 503 with Retry-After at once, before the body is read; nobody queues inside the process.
/// </summary>
public sealed class UploadGate(IOptions<UploadsOptions> options) : IDisposable
{
    readonly SemaphoreSlim? slots = options.Value.MaxConcurrentUploads > 0
        ? new(options.Value.MaxConcurrentUploads, options.Value.MaxConcurrentUploads) : null;

    /// <summary>Slots not taken now (int.MaxValue without a bound).</summary>
    public int Free => slots?.CurrentCount ?? int.MaxValue;

    /// <summary>A slot to dispose when the upload is stored, or null when every slot is taken.</summary>
    public IDisposable? TryEnter()
    {
        if (slots is null) return new Slot(null);
        return slots.Wait(0) ? new Slot(slots) : null;
    }

    /// <summary>The 503 answer; Retry-After in whole seconds.</summary>
    public IResult Busy(HttpContext http)
    {
        http.Response.Headers.RetryAfter = options.Value.BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem("Der Server nimmt gerade zu viele Uploads gleichzeitig entgegen. "
            + $"Bitte in {options.Value.BusyRetryAfterSeconds} Sekunden erneut versuchen.",
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public void Dispose() => slots?.Dispose();

    sealed class Slot(SemaphoreSlim? slots) : IDisposable
    {
        SemaphoreSlim? held = slots;
        public void Dispose() => Interlocked.Exchange(ref held, null)?.Release();
    }
}
