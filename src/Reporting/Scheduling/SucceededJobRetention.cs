using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Reporting.Scheduling;

/// <summary>
/// Keeps succeeded jobs for <see cref="SchedulingOptions.SucceededJobRetentionDays"/> instead of Hangfire's one
/// day: the expiry a final state gets is the one the state change carries, so a global state filter sets it.
/// Other final states (deleted) keep Hangfire's default.
/// </summary>
public sealed class SucceededJobRetention(TimeSpan keep) : JobFilterAttribute, IApplyStateFilter
{
    public TimeSpan Keep { get; } = keep;

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is SucceededState) context.JobExpirationTimeout = Keep;
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction) { }
}
