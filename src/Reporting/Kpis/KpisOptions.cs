using System.ComponentModel.DataAnnotations;

namespace Reporting.Kpis;

/// <summary>Section "Kpis".</summary>
public sealed class KpisOptions
{
    public const string Section = "Kpis";

    /// <summary>A value whose completeness (share of expected returns accepted) is below this is provisional.</summary>
    [Range(0.0, 1.0)]
    public decimal ProvisionalBelow { get; set; } = 0.9m;

    /// <summary>
    /// Benchmark of consolidation_potential: this quantile of the providers' unit costs; empty: the catalogue's (0.25,
    /// the first quartile).
    /// </summary>
    [Range(0.0, 1.0)]
    public decimal? BenchmarkQuantile { get; set; }

    /// <summary>
    /// A provider sees comparisons across providers only when at least this many providers are in them.
    /// </summary>
    [Range(1, 1000)]
    public int AnonymityMinProviders { get; set; } = 5;

    /// <summary>
    /// A catalogue file to use instead of the one embedded in the binary (relative to the content root).
    /// </summary>
    public string CataloguePath { get; set; } = "";
}
