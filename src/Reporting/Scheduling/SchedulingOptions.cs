using System.ComponentModel.DataAnnotations;

namespace Reporting.Scheduling;

/// <summary>
/// Section "Scheduling": Hangfire's workers and polling, chosen on purpose. Hangfire's defaults suit a queue that
/// may wait (15 s polls, 30 min invisibility); ours is a chain of short steps a person is waiting for (upload ->
/// verdict mail), on a database that is there anyway.
/// </summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>
    /// Workers per process. Jobs are mostly I/O (PostgreSQL, SMTP) with short CPU bursts (reading, rendering); 4 keep 2
    /// cores busy.
    /// </summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// Delayed jobs and retries become due only when this poll runs (Hangfire's default is 15 s, which would add
    /// up to 15 s to every retry and every continuation in the chain). 2 s costs one cheap query per server.
    /// </summary>
    [Range(1, 3600)]
    public int SchedulePollingSeconds { get; set; } = 2;

    /// <summary>
    /// Fallback queue poll. Long polling (LISTEN/NOTIFY) wakes workers of every process when a job is enqueued,
    /// so this only matters if a notification is lost (e.g. a reconnect): 5 s bounds that delay cheaply.
    /// </summary>
    [Range(1, 3600)]
    public int QueuePollSeconds { get; set; } = 5;

    /// <summary>
    /// A job whose worker died (process killed) becomes visible again after this long (Hangfire's default is
    /// 30 min). Our longest jobs (ingesting a large return, rendering all dashboards) take well under a minute,
    /// so 5 min requeues a lost job soon without running a slow live one twice. In seconds so that tests (and
    /// impatient operators) can set it below a minute.
    /// </summary>
    [Range(1, 86_400)]
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>How often a server reports alive (Hangfire's default 30 s); /health reads it.</summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>A server silent for this long counts as dead and is removed (Hangfire's default 5 min).</summary>
    [Range(1, 86_400)]
    public int ServerTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// On stop, running jobs get this long to finish before they are cancelled and requeued (default 15 s).
    /// </summary>
    [Range(0, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long a succeeded job stays in the job console (Hangfire's default is one day, so a Monday morning shows
    /// nothing of Friday's runs). A week covers a weekend and a holiday; the rows are small.
    /// </summary>
    [Range(1, 366)]
    public int SucceededJobRetentionDays { get; set; } = 7;

    /// <summary>
    /// The jobs' automatic retry delays (e.g. 5, 30, 120 s for ingestion) in percent of what they declare. Tests
    /// that go through a retry set a few percent; operators leave it.
    /// </summary>
    [Range(1, 100)]
    public int RetryDelayPercent { get; set; } = 100;

    /// <summary>Queues in priority order: ingestion is never starved by a mail storm.</summary>
    [Required, MinLength(1)]
    public string[] Queues { get; set; } = ["ingest", "kpis", "render", "mail", "default"];
}
