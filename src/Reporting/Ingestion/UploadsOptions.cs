namespace Reporting.Ingestion;

/// <summary>Section "Uploads": limits a return file must keep before anything parses it (validation layer 1).</summary>
public sealed class UploadsOptions
{
    public const string Section = "Uploads";
    /// <summary>The largest upload accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;
    /// <summary>The sum of the uncompressed sizes of all zip entries, as the central directory declares them.</summary>
    public long MaxUncompressedBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>The highest uncompressed/compressed ratio of one entry (sheet XML compresses about 10-30x).</summary>
    public double MaxCompressionRatio { get; set; } = 200;
    /// <summary>Entries smaller than this are not ratio-checked (tiny parts compress oddly).</summary>
    public long RatioCheckMinBytes { get; set; } = 1024 * 1024;
    /// <summary>At most this many messages are listed; the rest are counted in one message.</summary>
    public int MaxMessages { get; set; } = MessageSink.DefaultCap;
}
