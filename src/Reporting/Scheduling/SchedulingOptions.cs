namespace Reporting.Scheduling;

/// <summary>Section "Scheduling": Hangfire's workers and polling, chosen on purpose (its defaults poll every 15 s).</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    public int WorkerCount { get; set; } = 4;

    /// <summary>Delayed jobs and retries wait for this poll; 15 s by default in Hangfire, too slow for a chain of steps.</summary>
    public int SchedulePollingSeconds { get; set; } = 2;

    /// <summary>Fallback queue poll; LISTEN/NOTIFY (long polling) wakes workers in other processes at once.</summary>
    public int QueuePollSeconds { get; set; } = 5;

    /// <summary>A job whose worker died becomes visible again after this long (Hangfire's default is 30 min).</summary>
    public int InvisibilityTimeoutMinutes { get; set; } = 5;

    /// <summary>Queues in priority order: ingestion is never starved by a mail storm.</summary>
    public string[] Queues { get; set; } = ["ingest", "kpis", "render", "mail", "default"];
}
