using Hangfire.Common;
using Hangfire.States;

namespace Reporting.Scheduling;

/// <summary>
/// Scales the delays of Hangfire's automatic retries (the <c>[AutomaticRetry]</c> schedules on the jobs, e.g.
/// 5, 30 and 120 s for ingestion) by <see cref="SchedulingOptions.RetryDelayPercent"/>. 100 keeps them as written;
/// tests that go through a retry set a few percent, so that they wait for the retry's effect, not for the clock.
/// Runs after AutomaticRetry (order 20), before the <see cref="CrashGuard"/>.
/// </summary>
public sealed class RetryDelayScale(int percent) : JobFilterAttribute, IElectStateFilter
{
    public const int FilterOrder = 1000;
    public int Percent { get; } = percent;

    public void OnStateElection(ElectStateContext context)
    {
        // AutomaticRetry's own reason ("Retry attempt 1 of 3: ..."); a job scheduled on purpose is left alone.
        if (Percent == 100 || context.CandidateState is not ScheduledState retry
            || retry.Reason?.StartsWith("Retry attempt ", StringComparison.Ordinal) != true) return;
        var delay = retry.EnqueueAt - DateTime.UtcNow;
        if (delay <= TimeSpan.Zero) return;
        context.CandidateState = new ScheduledState(delay * Percent / 100) { Reason = retry.Reason };
    }
}
