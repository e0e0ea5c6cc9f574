using System.ComponentModel.DataAnnotations;

namespace Reporting.Delivery;

/// <summary>Section "Delivery": what goes into executive mails and where oversized workbooks are offered.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>A workbook larger than this is not attached; the mail carries a download link instead.</summary>
    [Range(1, long.MaxValue)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The app's public address, for download links in mails (e.g. https://kennzahlen.example.org).</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>A download link answers 410 Gone this many days after the mail offering it was composed.</summary>
    [Range(1, 3650)]
    public int DownloadLinkDays { get; set; } = 30;

    /// <summary>The contact line at the end of every executive mail.</summary>
    public string ContactLine { get; set; } =
        "Fragen zu diesem Bericht: Geschäftsstelle Kennzahlen kommunale IT NRW, kennzahlen@reporting.example.org";
}
