using System.Text.Json.Serialization;

namespace Reporting.Scenarios;

/// <summary>A scenario's answer for one scope: baseline and scenario side by side, per estimate.</summary>
public sealed record ScenarioResult(
    string Name, string Period, string Scope, long BaselineSnapshotId, IReadOnlyList<string> Changes,
    IReadOnlyList<string> Assumptions, IReadOnlyList<ScenarioEstimate> Estimates, long Milliseconds);

/// <summary>
/// One estimate ("low" or "high") with the assumptions it rests on and every KPI value of the scope.
/// </summary>
public sealed record ScenarioEstimate(string Estimate, string Label, IReadOnlyList<string> Assumptions,
    IReadOnlyList<ScenarioValue> Values)
{
    public ScenarioValue? Find(string kpi, string dimension, string slice) =>
        Values.FirstOrDefault(v => v.Kpi == kpi && v.Dimension == dimension && v.Slice == slice);
}

/// <summary>A KPI value in the baseline and in the scenario (null where the slice exists in only one).</summary>
public sealed record ScenarioValue(string Kpi, string Dimension, string Slice, string Label, decimal? Baseline,
    decimal? Scenario)
{
    [JsonPropertyName("delta")]
    public decimal? Delta => Scenario is { } s && Baseline is { } b ? s - b : null;

    [JsonPropertyName("deltaRelative")]
    public decimal? DeltaRelative => Delta is { } d && Baseline is { } b && b != 0
        ? Math.Round(d / b, 10, MidpointRounding.AwayFromZero) : null;

    [JsonIgnore] public string? DistrictKey { get; init; }
    [JsonIgnore] public string? ProviderCode { get; init; }
}
