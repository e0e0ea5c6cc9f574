using System.ComponentModel.DataAnnotations;

namespace Reporting.Ingestion;

/// <summary>Section "Ingestion": deadlines and the plausibility check (layer 7).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>
    /// A period's deadline is this many months after its end: 3 gives 31 March of the following year.
    /// </summary>
    [Range(0, 24)]
    public int DeadlineMonthsAfterPeriodEnd { get; set; } = 3;

    /// <summary>
    /// Cost per workstation moving more than this share against the provider's previous accepted return is a warning.
    /// </summary>
    [Range(0.0, 100.0)]
    public decimal MaxCostPerWorkstationChange { get; set; } = 0.30m;
}
