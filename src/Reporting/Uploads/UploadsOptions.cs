using System.ComponentModel.DataAnnotations;

namespace Reporting.Uploads;

/// <summary>
/// Section "Uploads": limits a return file must keep before anything parses it (validation layer 1), and what one
/// provider may upload (quotas, concurrency, retention).
/// </summary>
public sealed class UploadsOptions
{
    public const string Section = "Uploads";
    /// <summary>The largest upload accepted, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;
    /// <summary>The sum of the uncompressed sizes of all zip entries, as the central directory declares them.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUncompressedBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>The highest uncompressed/compressed ratio of one entry (sheet XML compresses about 10-30x).</summary>
    [Range(1, double.MaxValue)]
    public double MaxCompressionRatio { get; set; } = 200;
    /// <summary>Entries smaller than this are not ratio-checked (tiny parts compress oddly).</summary>
    [Range(0, long.MaxValue)]
    public long RatioCheckMinBytes { get; set; } = 1024 * 1024;
    /// <summary>
    /// The deepest element nesting of any XML part (the template needs 7; drawings and charts about 15).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxXmlDepth { get; set; } = 64;
    /// <summary>
    /// XML elements in all parts together (a cell is one or two; the largest real returns have a few million).
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxXmlElements { get; set; } = 40_000_000;
    /// <summary>Attributes (namespace declarations included) on one element (Excel writes at most about 15).</summary>
    [Range(1, int.MaxValue)]
    public int MaxXmlAttributes { get; set; } = 100;
    /// <summary>
    /// Entries of the shared-strings table: the reader holds each one (about 50 bytes plus its text).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxSharedStrings { get; set; } = 1_000_000;
    /// <summary>Characters of all shared strings together (two bytes each in memory).</summary>
    [Range(0, long.MaxValue)]
    public long MaxSharedStringChars { get; set; } = 32_000_000;
    /// <summary>
    /// Characters of any text node, and of one value joined from several (a split text, rich-text runs): Excel's own
    /// cell limit (32,767), so no real return comes near it, while a text of millions of characters is refused
    /// before a reader holds it.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxTextNodeChars { get; set; } = 32_767;
    /// <summary>Sheets in the workbook (the template has six).</summary>
    [Range(1, int.MaxValue)]
    public int MaxSheets { get; set; } = 50;
    /// <summary>At most this many messages are listed; the rest are counted in one message.</summary>
    [Range(1, int.MaxValue)]
    public int MaxMessages { get; set; } = 1000;
    /// <summary>Ingest jobs one process runs at once (IngestSlots); 0: as many as there are workers.</summary>
    [Range(0, int.MaxValue)]
    public int MaxConcurrentIngests { get; set; } = 1;

    /// <summary>
    /// Uploads one provider may start per hour (API and portal together; an upload counts when it starts, whether it
    /// is then stored, refused or cut off); 0: no limit.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxUploadsPerHour { get; set; } = 30;

    /// <summary>
    /// Bytes of uploads one provider may keep stored (pruned ones no longer count); 0: no limit. Enforced on the bytes
    /// as they arrive, with or without Content-Length.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxStoredBytesPerProvider { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>A rejected upload's bytes are deleted this many days after its verdict (accepted ones kept).</summary>
    [Range(1, 36_500)]
    public int RejectedRetentionDays { get; set; } = 30;

    /// <summary>
    /// Uploads one process receives and stores at once (API and portal together; each holds up to MaxUploadBytes
    /// in memory); more get 503 with Retry-After. One provider holds at most max(1, this - 1) of them (429 beyond).
    /// 0: no limit.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxConcurrentUploads { get; set; } = 2;

    /// <summary>
    /// The longest one upload may take to arrive, in seconds: then its receiving is aborted (408) and its slot freed,
    /// however slowly the client still sends. 100 MB take about 14 minutes at 1 Mbit/s.
    /// </summary>
    [Range(1, 86_400)]
    public int MaxUploadSeconds { get; set; } = 1800;

    /// <summary>The Retry-After of that 503 (and of the 429 when a provider's own uploads hold its share), in seconds.
    /// </summary>
    [Range(1, 86_400)]
    public int BusyRetryAfterSeconds { get; set; } = 30;

    /// <summary>When the pruning job runs (cron, Hangfire syntax).</summary>
    [Required]
    public string PruneCron { get; set; } = "17 3 * * *";
}
