using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reporting.Uploads;

/// <summary>
/// A process-wide bound on uploads being received and stored at once (API and portal together): each holds its
/// bytes in memory until PostgreSQL has them, so without a bound concurrent large uploads add up without limit.
/// Over the bound is 503 with Retry-After at once, before the body is read; nobody queues inside the process.
/// The slots are shared fairly: one principal (a provider) holds at most max(1, slots - 1) of them, so it always
/// leaves one to the others, and each slot's receiving ends at its deadline (MaxUploadSeconds), so a client that
/// trickles its bytes holds a slot for that long at most.
/// </summary>
public sealed class UploadGate(IOptions<UploadsOptions> options)
{
    readonly Lock gate = new();
    readonly Dictionary<string, int> held = new(StringComparer.Ordinal);
    int taken;

    int Slots => options.Value.MaxConcurrentUploads;

    /// <summary>Slots one principal may hold at once (int.MaxValue without a bound).</summary>
    public int PerPrincipal => Slots > 0 ? Math.Max(1, Slots - 1) : int.MaxValue;

    /// <summary>Slots not taken now (int.MaxValue without a bound).</summary>
    public int Free
    {
        get { lock (gate) return Slots > 0 ? Slots - taken : int.MaxValue; }
    }

    /// <summary>
    /// A slot for one upload of <paramref name="principal"/>, or null with the refusal to answer (503 when every
    /// slot is taken, 429 when this principal already holds its share).
    /// </summary>
    public UploadSlot? TryEnter(HttpContext http, string principal, out IResult? refusal)
    {
        lock (gate)
        {
            held.TryGetValue(principal, out var mine);
            if (Slots > 0 && taken >= Slots) refusal = Busy(http);
            else if (mine >= PerPrincipal) refusal = Yours(http);
            else
            {
                taken++;
                held[principal] = mine + 1;
                refusal = null;
                return new UploadSlot(this, principal, TimeSpan.FromSeconds(options.Value.MaxUploadSeconds),
                    http.RequestAborted);
            }
            return null;
        }
    }

    void Release(string principal)
    {
        lock (gate)
        {
            taken--;
            if (held[principal] <= 1) held.Remove(principal);
            else held[principal]--;
        }
    }

    /// <summary>The 503 answer; Retry-After in whole seconds.</summary>
    IResult Busy(HttpContext http)
    {
        var o = options.Value;
        http.Response.Headers.RetryAfter = o.BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem("Der Server nimmt gerade zu viele Uploads gleichzeitig entgegen. "
            + $"Bitte in {o.BusyRetryAfterSeconds} Sekunden erneut versuchen.",
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The 429 answer when this principal's own uploads hold its share of the slots.</summary>
    IResult Yours(HttpContext http)
    {
        var o = options.Value;
        http.Response.Headers.RetryAfter = o.BusyRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(PerPrincipal == 1
                ? "Es läuft bereits ein Upload für Sie. Bitte warten Sie, bis er abgeschlossen ist, "
                    + $"und versuchen Sie es in {o.BusyRetryAfterSeconds} Sekunden erneut."
                : $"Es laufen bereits {PerPrincipal} Uploads für Sie gleichzeitig. Bitte warten Sie, bis einer "
                    + $"abgeschlossen ist, und versuchen Sie es in {o.BusyRetryAfterSeconds} Sekunden erneut.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// One upload's slot: <see cref="Receiving"/> ends when the client goes or the deadline passes; disposing
    /// frees the slot.
    /// </summary>
    public sealed class UploadSlot : IDisposable
    {
        readonly CancellationTokenSource timer;
        readonly CancellationTokenSource deadline;
        readonly string principal;
        readonly int maxSeconds;
        UploadGate? gate;

        internal UploadSlot(UploadGate gate, string principal, TimeSpan limit, CancellationToken aborted)
        {
            (this.gate, this.principal) = (gate, principal);
            timer = new CancellationTokenSource(limit);
            deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, timer.Token);
            maxSeconds = (int)limit.TotalSeconds;
        }

        /// <summary>Cancelled when the client goes away or the upload's time is up: read the body with it.</summary>
        public CancellationToken Receiving => deadline.Token;

        /// <summary>True once the time is up (the client may have gone as well: then the answer reaches nobody).
        /// </summary>
        public bool TimedOut => timer.IsCancellationRequested;

        /// <summary>The 408 answer for an upload whose time was up; the connection is closed after it.</summary>
        public IResult TooSlow(HttpContext http)
        {
            http.Response.Headers.Connection = "close";
            var limit = maxSeconds == 1 ? "1 Sekunde" : $"{maxSeconds} Sekunden";
            return Results.Problem($"Der Upload hat zu lange gedauert (höchstens {limit} je Datei) "
                + "und wurde abgebrochen. Bitte erneut versuchen, bei langsamer Verbindung mit einer kleineren Datei.",
                statusCode: StatusCodes.Status408RequestTimeout);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref gate, null) is not { } g) return;
            deadline.Dispose();
            timer.Dispose();
            g.Release(principal);
        }
    }
}
