using System.Text.Json.Serialization;

namespace Reporting.Kpis;

/// <summary>One stored KPI value (a kpi_values row).</summary>
public sealed record KpiValue(
    string KpiId, string Dimension, string SliceKey, string SliceLabel, string? DistrictKey, string? ProviderCode,
    decimal? Value, decimal? Numerator, decimal? Denominator, decimal? PreviousValue, decimal Completeness,
        bool Provisional)
{
    /// <summary>Change against the previous period's latest snapshot, where both exist.</summary>
    public decimal? Change => Value is { } v && PreviousValue is { } p ? v - p : null;
}

/// <summary>A return version a snapshot read: whose, which version, when it was accepted.</summary>
public sealed record KpiReturnVersion(long ReturnVersionId, string ProviderCode, string ProviderName, int? Version,
    DateTimeOffset? AcceptedAt);

/// <summary>
/// An anonymised comparison across providers of a provider-level KPI: for "provider" values the group is NRW,
/// for "provider_service"/"provider_cost_type" the service or cost type. Only groups with at least
/// Kpis:AnonymityMinProviders providers are given. Basis "exact": the providers' min, median and max (executive
/// views); "bands": the means of the lowest, middle and highest band of providers (a provider's view).
/// </summary>
public sealed record KpiComparison(string KpiId, string Dimension, string GroupKey, int Providers, decimal Min,
    decimal Median, decimal Max,
    string Basis = "exact");

/// <summary>
/// A snapshot as one reader may see it: metadata, the values of its scope, anonymised comparisons. The returns
/// counted (completeness, expected, received) are NRW-wide figures: a provider reads them from the snapshot published
/// for it, and none while nothing is published (they would tell it how many others have reported since). For a
/// provider, Id and CreatedAt are its publication's (kpi_publications; 0 and its own newest acceptance before the
/// first), not the snapshot's.
/// </summary>
public sealed record KpiSnapshot(
    long Id, string Period, DateTimeOffset CreatedAt, decimal? Completeness, int? ReturnsExpected, int? ReturnsReceived,
    bool Provisional, string CatalogueHash, [property: JsonIgnore] KpiScope Scope,
    IReadOnlyList<KpiReturnVersion> ReturnVersions, IReadOnlyList<KpiValue> Values,
        IReadOnlyList<KpiComparison> Comparisons)
{
    [JsonPropertyName("scope")] public string ScopeText => Scope.ToString();

    public KpiValue? Find(string kpiId, string dimension, string sliceKey) =>
        Values.FirstOrDefault(v => v.KpiId == kpiId && v.Dimension == dimension && v.SliceKey == sliceKey);

    public decimal? ValueOf(string kpiId, string dimension, string sliceKey) => Find(kpiId, dimension, sliceKey)?.Value;

    public IEnumerable<KpiValue> Of(string kpiId, string dimension)
        => Values.Where(v => v.KpiId == kpiId && v.Dimension == dimension);
}
