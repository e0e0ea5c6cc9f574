using System.Text.Json.Serialization;
using Reporting.Delivery;
using Reporting.Kpis;

namespace Reporting.Scheduling;

/// <summary>The job kinds a file in jobs/ may name.</summary>
public static class JobKinds
{
    /// <summary>Reminders before and notices after the submission deadline; the late list to admins.</summary>
    public const string DeadlineCheck = "deadline-check";
    /// <summary>An executive report to a list of recipients, on a schedule or after new data.</summary>
    public const string Subscription = "subscription";

    public static readonly string[] All = [DeadlineCheck, Subscription];
}

/// <summary>
/// One file in jobs/: a recurring job, or a subscription (kind "subscription", with the fields below).
/// File names are free; the id is what Hangfire shows (prefixed "file:").
/// </summary>
public sealed record JobDefinition
{
    public string Id { get; init; } = "";
    public string Kind { get; init; } = "";
    /// <summary>
    /// 5-field cron (minute hour day month weekday); empty only for subscriptions triggered by new data.
    /// </summary>
    public string Cron { get; init; } = "";
    public string TimeZone { get; init; } = "Europe/Berlin";
    public bool Enabled { get; init; } = true;
    public string Description { get; init; } = "";

    // Subscriptions only.
    /// <summary>Which report: "kennzahlen" (Kennzahlenbericht).</summary>
    public string Report { get; init; } = "";
    /// <summary>nrw | region=051 | district=05162 | provider=CODE</summary>
    public string Scope { get; init; } = "";
    public List<MailRecipient> Recipients { get; init; } = [];
    /// <summary>last-closed | current | a fixed period such as 2025 or 2025-Q1</summary>
    public string Period { get; init; } = "last-closed";
    /// <summary>xlsx (mail with key figures, chart and the workbook attached) | html (mail only)</summary>
    public string Format { get; init; } = "xlsx";
    /// <summary>schedule | new-data</summary>
    public string Trigger { get; init; } = "schedule";
    /// <summary>Share of expected returns accepted (0..1) before a new-data subscription sends anything.</summary>
    public decimal MinCompleteness { get; init; } = 0.8m;

    /// <summary>The file it came from (set by the loader, for messages).</summary>
    [JsonIgnore] public string File { get; init; } = "";

    [JsonIgnore] public string RecurringJobId => JobFileSync.Prefix + Id;
    [JsonIgnore] public bool IsRecurring => Enabled && (Kind != JobKinds.Subscription || Trigger == Triggers.Schedule);
    [JsonIgnore] public KpiScope ParsedScope => KpiScope.Parse(Scope);

    public static class Triggers
    {
        public const string Schedule = "schedule";
        public const string NewData = "new-data";
    }

    public static readonly string[] Reports = ["kennzahlen"];
    public static readonly string[] Formats = ["xlsx", "html"];
}
