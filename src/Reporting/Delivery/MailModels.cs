using Reporting.Reports;

namespace Reporting.Delivery;

/// <summary>One addressee; the name is shown, the address is validated before anything is stored.</summary>
public sealed record MailRecipient
{
    public string Name { get; init; } = "";
    public string Address { get; init; } = "";
    /// <summary>
    /// The recipient's form of address in executive mails ("Sehr geehrte Frau Landrätin Berger,");
    /// empty: "Guten Tag,".
    /// </summary>
    public string Salutation { get; init; } = "";

    public MailRecipient() { }
    public MailRecipient(string name, string address) { Name = name; Address = address; }
}

/// <summary>
/// A key figure in a mail (Reports.KeyFigure without its KPI id), already formatted in German ("1.234 €", "+3,2 %").
/// </summary>
public sealed record MailKeyFigure(string Label, string Value, string Change, TrafficLight Light);

/// <summary>A chart in a mail body: PNG bytes and the caption that says what it shows.</summary>
public sealed record MailChart(string Name, byte[] Png, string Caption);

/// <summary>A file to attach (or to offer as a download when too large).</summary>
public sealed record MailFile(string FileName, byte[] Content, string ContentType)
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static MailFile Xlsx(string fileName, byte[] content) => new(fileName, content, XlsxType);
}

/// <summary>
/// Everything an executive mail shows. Scheduling.RenderedExecutiveReports fills it from the renderer's output;
/// this side only composes and delivers.
/// </summary>
public sealed record ExecutiveReport
{
    /// <summary>"Kennzahlenbericht"</summary>
    public required string ReportTitle { get; init; }
    /// <summary>"Kreis Lindenau", "NRW", "Regierungsbezirk Köln"</summary>
    public required string ScopeLabel { get; init; }
    /// <summary>"2025", "1. Quartal 2025"</summary>
    public required string PeriodLabel { get; init; }
    public long? SnapshotId { get; init; }
    public string? Period { get; init; }
    public IReadOnlyList<MailKeyFigure> KeyFigures { get; init; } = [];
    /// <summary>Sentences saying what matters, each with its number (Reports.Briefing).</summary>
    public IReadOnlyList<string> Findings { get; init; } = [];
    /// <summary>What grün/gelb/rot mean per KPI, from the catalogue's thresholds.</summary>
    public IReadOnlyList<string> LightLegend { get; init; } = [];
    /// <summary>"Datenstand 28.11.2026 · Snapshot 12 · 24 von 30 Meldungen (80,0 %) · vorläufig"</summary>
    public string DataStatus { get; init; } = "";
    /// <summary>Charts shown inline (CID), at mail width.</summary>
    public IReadOnlyList<MailChart> Charts { get; init; } = [];
    public MailFile? Workbook { get; init; }
    /// <summary>Optional remarks, e.g. "vorläufig: 24 von 30 Meldungen".</summary>
    public string Note { get; init; } = "";
}

/// <summary>
/// The verdict on a provider's upload: accepted or rejected, with the messages and the feedback workbook.
/// </summary>
public sealed record ProviderVerdict
{
    public required string ProviderCode { get; init; }
    public required string ProviderName { get; init; }
    public required string Period { get; init; }
    public required bool Accepted { get; init; }
    public long? ReturnVersionId { get; init; }
    public string FileName { get; init; } = "";
    public IReadOnlyList<string> Messages { get; init; } = [];
    public MailFile? FeedbackWorkbook { get; init; }
    /// <summary>Set instead of FeedbackWorkbook when that is over the attachment limit: where to download it.</summary>
    public FeedbackLink? FeedbackLink { get; init; }
    /// <summary>
    /// Set when the file could not be opened as a workbook at all: the one sentence that says so replaces the
    /// list of messages, and no feedback workbook is attached (there are no cells to mark).
    /// </summary>
    public string? FileProblem { get; init; }
}

/// <summary>A feedback workbook too large to attach: its name, download address and size in bytes.</summary>
public sealed record FeedbackLink(string FileName, string Url, long Bytes);
