using System.Globalization;
using Reporting.Reports;

namespace Reporting.Scenarios;

/// <summary>
/// What the changes cost, per resulting provider and service, under a named cost model and remanent share
/// (pure arithmetic on <see cref="ScenarioWorld"/>; the engine applies the outcome as factors on the cost rows):
/// - <see cref="CostModel.ReceivingUnitCost"/>: the receiving provider runs the volume it takes at its own unit
///   cost for that service; the sending one saves its own unit cost per workstation it gives up;
/// - <see cref="CostModel.ScaleCurve"/>: unit costs move along the measured scale curve, the power law
///   unit cost = a·workstations^b fitted per service over the period's providers (Reports/PowerFit), from each
///   provider's own level to its new volume: new unit cost = unit cost x (new volume / volume)^b;
/// - remanent share r: a sending provider (in a merger the merged-away ones) keeps r of the cost it gives up for a
///   transition period.
/// A merger's service is run by the provider it merges into (with a new code: the part with most workstations).
/// </summary>
public static class ScenarioCosts
{
    public const decimal DefaultRemanentShare = 0.2m;
    /// <summary>b is held within these bounds: below -1 total cost would fall with volume.</summary>
    const double MinElasticity = -1, MaxElasticity = 1;

    public enum CostModel { ReceivingUnitCost, ScaleCurve }

    /// <summary>A resulting provider's service: cost as the facts carry it after the changes, and modelled.</summary>
    public sealed record Cell(decimal FactCost, decimal ModelCost, decimal Workstations);

    /// <summary>The fitted curve per service (absent: fewer than 3 providers with volume and cost).</summary>
    public static IReadOnlyDictionary<string, PowerFit> Curves(ScenarioWorld w)
    {
        var volume = w.Supplies.GroupBy(s => (s.Provider, s.Service)).ToDictionary(g => g.Key,
            g => g.Sum(s => s.Workstations));
        var result = new Dictionary<string, PowerFit>();
        foreach (var g in volume.Where(v => v.Value > 0 && w.Costs.GetValueOrDefault(v.Key) > 0)
            .GroupBy(v => v.Key.Service))
        {
            var points = g.ToList();
            var fit = PowerFit.Of(points.Select(p => (double)p.Value).ToList(),
                points.Select(p => (double)(w.Costs[p.Key] / p.Value)).ToList());
            if (fit is not null) result[g.Key] = fit;
        }
        return result;
    }

    public static double Elasticity(IReadOnlyDictionary<string, PowerFit> curves, string service) =>
        curves.TryGetValue(service, out var f) ? Math.Clamp(f.B, MinElasticity, MaxElasticity) : 0;

    /// <summary>The cost of every provider and service after the plan's changes.</summary>
    public static Dictionary<(string Provider, string Service), Cell> Apply(ScenarioWorld w, ScenarioPlan plan,
        CostModel model, decimal remanentShare, IReadOnlyDictionary<string, PowerFit> curves)
    {
        var cells = new Dictionary<(string, string), Cell>();
        foreach (var g in w.Supplies.GroupBy(s => (s.Provider, s.Service)))
            cells[g.Key] = new Cell(0, 0, g.Sum(s => s.Workstations));
        foreach (var (key, cost) in w.Costs)
            cells[key] = (cells.GetValueOrDefault(key) ?? new Cell(0, 0, 0)) with { FactCost = cost,
                ModelCost = cost };
        // Who supplies (municipality, service) with how many workstations, followed through the changes.
        var supply = w.Supplies.GroupBy(s => (s.Ags, s.Service)).ToDictionary(g => g.Key,
            g => g.ToDictionary(s => s.Provider, s => s.Workstations));

        decimal Curve(string service, decimal unitCost, decimal from, decimal to) => from <= 0 || to <= 0 ? 0
            : unitCost * (decimal)Math.Pow((double)(to / from), Elasticity(curves, service)) * to;

        foreach (var step in plan.Steps)
        {
            if (step is MergeStep m)
            {
                foreach (var service in cells.Keys.Where(k => m.Providers.Contains(k.Item1)).Select(k => k.Item2)
                    .Distinct().ToList())
                {
                    var parts = m.Providers.Where(p => cells.ContainsKey((p, service)))
                        .Select(p => (Code: p, Cell: cells[(p, service)])).ToList();
                    var reference = parts.FirstOrDefault(p => p.Code == m.Into && p.Cell.Workstations > 0);
                    if (reference.Code is null)
                        reference = parts.OrderByDescending(p => p.Cell.Workstations).ThenBy(p => p.Code,
                            StringComparer.Ordinal).First();
                    var volume = parts.Sum(p => p.Cell.Workstations);
                    var released = parts.Where(p => p.Code != reference.Code).Sum(p => p.Cell.ModelCost);
                    var r = reference.Cell;
                    var cost = volume <= 0 || r.Workstations <= 0
                        ? parts.Sum(p => p.Cell.ModelCost)
                        : (model == CostModel.ReceivingUnitCost ? r.ModelCost / r.Workstations * volume
                            : Curve(service, r.ModelCost / r.Workstations, r.Workstations, volume))
                          + remanentShare * released;
                    foreach (var p in parts) cells.Remove((p.Code, service));
                    cells[(m.Into, service)] = new Cell(parts.Sum(p => p.Cell.FactCost), cost, volume);
                }
                foreach (var byProvider in supply.Values)
                {
                    var ws = m.Providers.Where(byProvider.ContainsKey).Sum(p => byProvider[p]);
                    if (!m.Providers.Any(byProvider.ContainsKey)) continue;
                    foreach (var p in m.Providers) byProvider.Remove(p);
                    byProvider[m.Into] = ws;
                }
            }
            else if (step is MoveStep mv)
            {
                foreach (var service in mv.Services)
                {
                    var leaving = new Dictionary<string, decimal>();
                    foreach (var ags in mv.Municipalities)
                    {
                        if (!supply.TryGetValue((ags, service), out var byProvider)) continue;
                        foreach (var (p, ws) in byProvider.Where(x => x.Key != mv.To).ToList())
                        {
                            leaving[p] = leaving.GetValueOrDefault(p) + ws;
                            byProvider.Remove(p);
                            byProvider[mv.To] = byProvider.GetValueOrDefault(mv.To) + ws;
                        }
                    }
                    if (leaving.Count == 0) continue;
                    foreach (var (p, ws) in leaving)
                    {
                        var c = cells[(p, service)];
                        var rest = c.Workstations - ws;
                        var keep = c.Workstations <= 0 ? c.ModelCost
                            : model == CostModel.ReceivingUnitCost ? c.ModelCost / c.Workstations * rest
                                : Curve(service, c.ModelCost / c.Workstations, c.Workstations, rest);
                        var cost = keep + remanentShare * (c.ModelCost - keep);
                        cells[(p, service)] = c with { ModelCost = cost, Workstations = rest };
                    }
                    var t = cells[(mv.To, service)];
                    var volume = t.Workstations + leaving.Values.Sum();
                    var taken = t.Workstations <= 0 ? t.ModelCost
                        : model == CostModel.ReceivingUnitCost ? t.ModelCost / t.Workstations * volume
                            : Curve(service, t.ModelCost / t.Workstations, t.Workstations, volume);
                    cells[(mv.To, service)] = t with { ModelCost = taken, Workstations = volume };
                }
            }
        }
        return cells;
    }

    /// <summary>Total modelled cost over all providers and services.</summary>
    public static decimal Total(IReadOnlyDictionary<(string Provider, string Service), Cell> cells)
        => cells.Values.Sum(c => c.ModelCost);

    /// <summary>
    /// Factors on the cost rows of each resulting provider and service (modelled / carried by the facts); rows
    /// whose facts carry no cost cannot be scaled (listed in <paramref name="unscaled"/>).
    /// </summary>
    public static Dictionary<(string Provider, string Service), decimal> Factors(
        IReadOnlyDictionary<(string Provider, string Service), Cell> cells, out List<string> unscaled)
    {
        unscaled = [];
        var factors = new Dictionary<(string, string), decimal>();
        foreach (var (key, c) in cells)
        {
            if (c.FactCost > 0 && c.ModelCost != c.FactCost) factors[key] = c.ModelCost / c.FactCost;
            else if (c.FactCost == 0 && c.ModelCost != 0)
                unscaled.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Item1}/{key.Item2}"));
        }
        return factors;
    }
}
