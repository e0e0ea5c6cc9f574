namespace Reporting.Uploads;

/// <summary>
/// Section "Uploads" (shared with the file limits of Ingestion's UploadsOptions): what one provider may upload.
/// </summary>
public sealed class UploadQuotaOptions
{
    public const string Section = "Uploads";

    /// <summary>Uploads one provider may make per hour (API and portal together); 0: no limit.</summary>
    public int MaxUploadsPerHour { get; set; } = 30;

    /// <summary>Bytes of uploads one provider may keep stored (pruned ones no longer count); 0: no limit.</summary>
    public long MaxStoredBytesPerProvider { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>A rejected upload's bytes are deleted this many days after its verdict (accepted ones kept).</summary>
    public int RejectedRetentionDays { get; set; } = 30;

    /// <summary>
    /// Uploads one process receives and stores at once (API and portal together; each holds up to MaxUploadBytes
    /// in memory); more get 503 with Retry-After. 0: no limit.
    /// </summary>
    public int MaxConcurrentUploads { get; set; } = 2;

    /// <summary>The Retry-After of that 503, in seconds.</summary>
    public int BusyRetryAfterSeconds { get; set; } = 30;

    /// <summary>When the pruning job runs (cron, Hangfire syntax).</summary>
    public string PruneCron { get; set; } = "17 3 * * *";
}
