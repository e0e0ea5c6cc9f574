using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Reporting.Access;

/// <summary>
/// Failed sign-ins (admin password, portal key, API key) per key (the sign-ins count per client address), in a
/// sliding window; in memory, each process counts its own. See <see cref="SignInOptions"/> for the rules.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInOptions> options, TimeProvider clock, ILogger<SignInThrottle> logger)
{
    readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> failures = new();
    SignInOptions O => options.Value;

    public static string Address(HttpContext http) => "address "
        + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>True when any of the keys has reached the limit in the window.</summary>
    public bool IsLockedOut(params string[] keys) => keys.Any(k => Count(k) >= O.MaxFailedAttempts);

    /// <summary>Seconds until every locked key is below the limit again (for Retry-After).</summary>
    public int RetryAfterSeconds(params string[] keys)
    {
        var now = clock.GetUtcNow();
        var opens = now;
        foreach (var key in keys)
        {
            if (Count(key) < O.MaxFailedAttempts || !failures.TryGetValue(key, out var q)) continue;
            var times = q.ToArray();
            if (times.Length < O.MaxFailedAttempts) continue;
            // The key unlocks when the failure that keeps it at the limit leaves the window.
            var at = times[times.Length - O.MaxFailedAttempts] + TimeSpan.FromMinutes(O.FailedWindowMinutes);
            if (at > opens) opens = at;
        }
        return Math.Max(1, (int)Math.Ceiling((opens - now).TotalSeconds));
    }

    /// <summary>Counts a failure against every key; returns how long to wait before answering it.</summary>
    public TimeSpan RecordFailure(params string[] keys)
    {
        if (failures.Count > 10_000) Sweep();
        var worst = 0;
        foreach (var key in keys)
        {
            var q = failures.GetOrAdd(key, _ => new());
            q.Enqueue(clock.GetUtcNow());
            var n = Prune(q);
            // Keep the queue bounded under attack: the oldest entries beyond a few windows' worth add nothing.
            while (n > O.MaxFailedAttempts * 4 && q.TryDequeue(out _)) n--;
            if (n == O.MaxFailedAttempts)
                logger.LogWarning("Sign-in lockout for {Key}: {Failures} failed attempts within {Minutes} minutes",
                    key, n, O.FailedWindowMinutes);
            worst = Math.Max(worst, n);
        }
        return Delay(worst, O);
    }

    /// <summary>Nothing for the first failures, then a delay doubling with each further one, capped.</summary>
    public static TimeSpan Delay(int failuresInWindow, SignInOptions o)
    {
        var beyond = failuresInWindow - o.FreeAttempts;
        if (beyond <= 0 || o.DelayMilliseconds <= 0) return TimeSpan.Zero;
        var ms = o.DelayMilliseconds * Math.Pow(2, Math.Min(beyond - 1, 20));
        return TimeSpan.FromMilliseconds(Math.Min(ms, o.MaxDelaySeconds * 1000.0));
    }

    void Sweep()
    {
        foreach (var (key, q) in failures)
            if (Prune(q) == 0) failures.TryRemove(key, out _);
    }

    int Count(string key) => failures.TryGetValue(key, out var q) ? Prune(q) : 0;

    int Prune(ConcurrentQueue<DateTimeOffset> q)
    {
        var since = clock.GetUtcNow().AddMinutes(-O.FailedWindowMinutes);
        while (q.TryPeek(out var t) && t < since) q.TryDequeue(out _);
        return q.Count;
    }
}
