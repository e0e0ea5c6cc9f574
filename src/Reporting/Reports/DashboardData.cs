using Reporting.Kpis;
namespace Reporting.Reports;

/// <summary>
/// Everything one dashboard shows, already cut to the recipient's scope. The renderer works only on this model, so
/// it does not care whether the numbers came from <see cref="DashboardLoader"/> or from the KPI engine's reader.
/// </summary>
public sealed class DashboardData
{
    public required long SnapshotId { get; init; }
    /// <summary>
    /// The id the recipient is shown: the snapshot's, for a provider its publication's (SnapshotReader), so that
    /// neither id nor <see cref="CreatedAt"/> tells it when others reported.
    /// </summary>
    public long ShownId { get => shownId ?? SnapshotId; init => shownId = value; }
    readonly long? shownId;
    public required string Period { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// Share of expected returns that went in, 0..1, and the counts: NRW aggregates, null where the scope may not
    /// see them (a provider below the anonymity minimum).
    /// </summary>
    public required decimal? Completeness { get; init; }
    public required bool Provisional { get; init; }
    public required int? ReturnsExpected { get; init; }
    public required int? ReturnsReceived { get; init; }
    public required KpiScope Scope { get; init; }
    /// <summary>German name of the recipient's slice: "Nordrhein-Westfalen", "Kreis Lindenau", ...</summary>
    public required string ScopeLabel { get; init; }
    public required IReadOnlyList<DashboardValue> Values { get; init; }
    public required IReadOnlyDictionary<string, KpiDefinition> Definitions { get; init; }
    /// <summary>Min/median/max across providers as the scope may see them (anonymity: SnapshotReader).</summary>
    public IReadOnlyList<KpiComparison> Comparisons { get; init; } = [];
    public IReadOnlyList<DashboardReturnVersion> Returns { get; init; } = [];
    public IReadOnlyList<MunicipalityInfo> Municipalities { get; init; } = [];
    /// <summary>Total cost of the recipient's slice in this and earlier periods (latest snapshot per period).</summary>
    public IReadOnlyList<TrendPoint> CostTrend { get; init; } = [];
    /// <summary>OZG online rate per topic and district (plus an NRW column), for the heat map.</summary>
    public IReadOnlyList<OzgHeatCell> OzgHeat { get; init; } = [];
    /// <summary>
    /// District outlines for the maps: the regions of the scope's districts (all of NRW for NRW), each marked whether
    /// it is the scope's own. Empty when no boundaries were imported.
    /// </summary>
    public IReadOnlyList<DistrictOutline> Boundaries { get; init; } = [];
    /// <summary>The line every map of those boundaries must show, e.g. "© GeoBasis-DE / BKG".</summary>
    public string BoundaryAttribution { get; init; } = "";
    /// <summary>The KPI catalogue's definitions (data/kpis/catalogue.json), by id.</summary>
    public static IReadOnlyDictionary<string, KpiDefinition> DefinitionsOf(KpiCatalogue catalogue)
        => catalogue.Kpis.ToDictionary(k => k.Id);

    /// <summary>Reference value for cost per workstation (KGSt: 3,100 EUR) and where it comes from.</summary>
    public decimal BenchmarkCostPerWorkstation { get; init; } = 3100m;
    public string BenchmarkSource { get; init; } = "KGSt-Vergleichsringe";

    /// <summary>Kpis:AnonymityMinProviders: below it a provider sees no NRW aggregates (for saying why).</summary>
    public int AnonymityMinProviders { get; init; } = 5;

    /// <summary>The snapshot's Kpis:BenchmarkQuantile override if the engine ran with one (else null).</summary>
    public decimal? BenchmarkQuantile { get; init; }

    public IEnumerable<DashboardValue> Of(string kpiId, string dimension) =>
        Values.Where(v => v.KpiId == kpiId && v.Dimension == dimension);

    public DashboardValue? One(string kpiId, string dimension, string sliceKey) =>
        Values.FirstOrDefault(v => v.KpiId == kpiId && v.Dimension == dimension && v.SliceKey == sliceKey);

    /// <summary>The value for the recipient's own slice, else the NRW value.</summary>
    public DashboardValue? Headline(string kpiId) =>
        One(kpiId, Scope.OwnDimension, Scope.OwnSliceKey) ?? One(kpiId, "nrw", "NRW");

    public KpiDefinition Definition(string kpiId) =>
        Definitions.TryGetValue(kpiId, out var d) ? d : new KpiDefinition { Id = kpiId, Name = kpiId, Definition = "",
            Unit = "", Shape = "", Dimensions = [] };

    /// <summary>"2025 · Datenstand 28.11.2026 · 87,5 % der Meldungen (vorläufig)", for chart titles and headers (the
    /// share only where the scope may see it).</summary>
    public string StatusLine => $"{Period} · Datenstand {GermanFormat.Date(CreatedAt)}"
                                + (Completeness is { } c ? $" · {GermanFormat.Percent(c)} der Meldungen" : "")
                                + (Provisional ? " (vorläufig)" : "");
}

/// <summary>A KPI value as a dashboard shows it; its change is relative (Kpis.KpiValue's is absolute).</summary>
public sealed record DashboardValue(
    string KpiId, string Dimension, string SliceKey, string SliceLabel, string? DistrictKey, string? ProviderCode,
    decimal? Value, decimal? Numerator, decimal? Denominator, decimal? Previous, decimal Completeness, bool Provisional)
{
    /// <summary>Relative change against the previous period, null when there is nothing to compare.</summary>
    public decimal? RelativeChange => Value is { } v && Previous is { } p && p != 0 ? (v - p) / Math.Abs(p) : null;
}

/// <summary>
/// A return version as the dashboard's "Datenstand" lists it (Ingestion.ReturnVersionInfo: the full record).
/// </summary>
public sealed record DashboardReturnVersion(long Id, string ProviderCode, string ProviderName, int? Version,
    string Status,
    string SubmittedBy, DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt);

public sealed record MunicipalityInfo(string Ags, string Name, string DistrictKey, string DistrictName, int Population,
    double? Longitude, double? Latitude);

/// <param name="Polygons">Each polygon's rings in longitude/latitude, the outline first.</param>
public sealed record DistrictOutline(string Key, string Name, bool Own,
    IReadOnlyList<List<(double Lon, double Lat)[]>> Polygons);

public sealed record TrendPoint(string Period, long SnapshotId, decimal? TotalCost, bool Provisional);

/// <param name="ColumnKey">District key, or "NRW" for the state-wide column.</param>
public sealed record OzgHeatCell(string Topic, string ColumnKey, string ColumnLabel, decimal OnlineRate, int Facts);

public enum TrafficLight { None, Green, Yellow, Red }

/// <summary>A headline figure for the workbook's tiles and the mail body, already formatted in German.</summary>
public sealed record KeyFigure(string KpiId, string Label, string Value, string Change, TrafficLight Light);
