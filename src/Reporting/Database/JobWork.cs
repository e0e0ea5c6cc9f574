namespace Reporting.Database;

/// <summary>
/// Marks a background job whose run first waits for a resource of its process (an ingest slot). The crash guard
/// (Scheduling/CrashGuard) charges such a run with its process' death only from <see cref="JobWork.BeginsAsync"/>
/// on: a run that was only waiting when the process died did not cause it and is run again without a mark.
/// Here, below both, because the steps that wait (Ingestion) lie below the guard (Scheduling).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WaitsBeforeWorkAttribute : Attribute;

/// <summary>The current job run's "its own work begins now", as the crash guard set it for this flow.</summary>
public static class JobWork
{
    static readonly AsyncLocal<Func<CancellationToken, Task>?> Begin = new();

    /// <summary>
    /// Set by the guard before the job's code runs and cleared after it: the job's awaits carry it along.
    /// </summary>
    public static void OnBegin(Func<CancellationToken, Task>? begin) => Begin.Value = begin;

    /// <summary>The run's own work begins; outside a guarded job run (a test, a CLI verb) nothing happens.</summary>
    public static Task BeginsAsync(CancellationToken ct) => Begin.Value?.Invoke(ct) ?? Task.CompletedTask;
}
