using System.Text.Json;

namespace Reporting.Kpis;

/// <summary>
/// The formula shapes of the catalogue: each is a generic SQL template that fills the run's temporary table
/// r (kpi_id, dimension, slice_key, value, numerator, denominator) for one KPI and one dimension, from the run's
/// measure rows f (kpi_input) or from values of KPIs computed before it. Names inlined into the SQL are checked
/// by <see cref="Validate"/> against fixed lists (measures, dimensions, KPI ids), numbers are formatted invariantly.
/// </summary>
public static class KpiShapes
{
    public static readonly string[] Known =
        ["sum", "ratio", "share", "weighted_rate", "area_coverage", "municipality_coverage", "distinct_count",
         "quantile", "count_at_least", "hhi", "consolidation", "regression", "returns", "pair_rate"];

    /// <summary>Shapes that read values of KPIs computed before them (from r) rather than measure rows.</summary>
    public static readonly HashSet<string> Derived = ["quantile", "count_at_least", "consolidation", "regression"];

    /// <summary>The measures kpi_input yields (005_kpis.sql).</summary>
    public static readonly string[] Measures =
        ["cost", "cost_attributed", "workstations", "users", "service_workstations", "charges", "population",
            "staff_fte", "ozg_maturity"];

    /// <summary>Measures counted once per municipality within a group (not summed over providers).</summary>
    static readonly HashSet<string> OncePerMunicipality = ["population"];

    const string Insert = "insert into r (kpi_id, dimension, slice_key, value, numerator, denominator)\n";

    /// <summary>
    /// The SQL filling r for one KPI and dimension. benchmarkQuantile overrides the catalogue's (options).
    /// </summary>
    public static string Sql(KpiDefinition k, string dim, decimal? benchmarkQuantile = null)
    {
        var key = KpiDimensions.FactKey[dim];
        var head = $"{Insert}select '{k.Id}', '{dim}', ";
        switch (k.Shape)
        {
            case "sum":
            {
                var m = k.ForDimension("measure", dim, "measure_by_dimension")!;
                return $"{head}a.k, a.v, a.v, null from ({Aggregate(m, key)}) a";
            }
            case "ratio":
            {
                var n = k.ForDimension("numerator", dim, "numerator_by_dimension")!;
                var d = k.ForDimension("denominator", dim, "denominator_by_dimension")!;
                return $"{head}n.k, kpi_div(n.v, d.v), n.v, d.v from ({Aggregate(n, key)}) n join "
                    + $"({Aggregate(d, key)}) d on d.k = n.k";
            }
            case "share":
            {
                var m = k.Text("measure");
                var parent = KpiDimensions.FactKey[k.ForDimension("within", dim)!];
                return $"""
                    {head}p.k, kpi_div(p.v, w.v), p.v, w.v
                    from (select {key} as k, {parent} as pk, sum(value) as v from f where measure = '{m}'
                      and {key} is not null group by 1, 2) p
                    join (select {parent} as pk, sum(value) as v from f where measure = '{m}'
                      and {key} is not null group by 1) w on w.pk = p.pk
                    """;
            }
            case "weighted_rate":
            {
                // Per municipality: services at or above the level / all municipal OZG services; then weighted by
                // population.
                var m = k.Text("measure");
                var min = KpiCatalogue.Num(k.Number("min")!.Value);
                return $"""
                    {head}y.k, kpi_div(sum(y.rate * y.pop), sum(y.pop)), sum(y.rate * y.pop), sum(y.pop)
                    from (
                      select {key} as k, q.rate, q.pop from (
                        select x.ags, x.district_key, x.region_key, x.n::numeric(38,20) / nullif(u.n, 0) as rate,
                          mu.population::numeric as pop
                        from (select ags, district_key, region_key, count(*) filter (where value >= {min}) as n
                              from f where measure = '{m}' group by 1, 2, 3) x
                        cross join (select count(*) as n from ozg_services where municipal) u
                        join municipalities mu on mu.ags = x.ags) q) y
                    where y.k is not null group by y.k
                    """;
            }
            case "area_coverage":
            {
                var m = k.Text("measure");
                var min = KpiCatalogue.Num(k.Number("min")!.Value);
                return $"""
                    {head}y.k, kpi_div(sum(y.n), count(*) * max(mc.c)), sum(y.n), count(*) * max(mc.c)
                    from (
                      select {key} as k, z.n from (
                        select s.ozg_id, s.topic as ozg_topic, coalesce(c.n, 0) as n
                        from ozg_services s
                        left join (select ozg_id, count(*) filter (where value >= {min}) as n from f
                          where measure = '{m}' group by 1) c on c.ozg_id = s.ozg_id
                        where s.municipal) z) y
                    cross join (select count(*)::numeric as c from municipalities) mc
                    where y.k is not null group by y.k
                    """;
            }
            case "pair_rate":
            {
                // kpi_input yields one row per (municipality, OZG service): the best maturity any provider reported.
                var m = k.Text("measure");
                var min = KpiCatalogue.Num(k.Number("min")!.Value);
                return $"""
                    {head}x.k, kpi_div(count(*) filter (where x.value >= {min}), count(*)),
                           count(*) filter (where x.value >= {min}), count(*)
                    from (select {key} as k, value from f where measure = '{m}' and {key} is not null) x
                    group by x.k
                    """;
            }
            case "municipality_coverage":
            {
                var m = k.Text("measure");
                var weight = k.Text("weight") == "population" ? "population::numeric" : "1::numeric";
                return $"""
                    {head}h.k, kpi_div(sum(mu.w), max(t.total)), sum(mu.w), max(t.total)
                    from (select distinct {key} as k, ags from f where measure = '{m}' and value > 0
                      and {key} is not null) h
                    join (select ags, {weight} as w from municipalities) mu on mu.ags = h.ags
                    cross join (select sum({weight}) as total from municipalities) t
                    group by h.k
                    """;
            }
            case "distinct_count":
            {
                // Providers per unit (municipality, service); a coarser dimension gets the mean over its units.
                var m = k.Text("measure");
                var per = KpiDimensions.FactKey[k.Text("per")];
                return $"""
                    {head}c.k, kpi_div(sum(c.n), count(*)), sum(c.n), count(*)
                    from (select {key} as k, {per} as u, count(distinct provider_code) as n
                          from f where measure = '{m}' and {key} is not null and {per} is not null group by 1, 2) c
                    group by c.k
                    """;
            }
            case "quantile":
            {
                var from = k.Text("from_dimension");
                var values = $"select {KpiDimensions.RollUp(from, dim)} as k, value from r "
                    + $"where kpi_id = '{k.Text("of")}' and dimension = '{from}' and value is not null";
                return $"{Insert}{Quantile(values, k.Number("q")!.Value)}\n" +
                       $"select '{k.Id}', '{dim}', k, round(v, 10), null, n from quantile";
            }
            case "count_at_least":
            {
                var from = k.Text("from_dimension");
                var min = KpiCatalogue.Num(k.Number("min")!.Value);
                return $"""
                    {head}y.k, count(*) filter (where y.value >= {min}), count(*) filter (where y.value >= {min}),
                      count(*)
                    from (select {KpiDimensions.RollUp(from, dim)} as k, value from r where kpi_id = '{k.Text("of")}'
                      and dimension = '{from}') y
                    where y.k is not null group by y.k
                    """;
            }
            case "hhi":
            {
                var m = k.Text("measure");
                return $"""
                    {head}s.k,
                      round(sum(((s.v * 100)::numeric(38,20) / t.v) * ((s.v * 100)::numeric(38,20) / t.v)), 10),
                      null, count(*)
                    from (select {key} as k, provider_code as p, sum(value) as v from f where measure = '{m}'
                      and {key} is not null group by 1, 2) s
                    join (select {key} as k, sum(value) as v from f where measure = '{m}'
                      and {key} is not null group by 1) t on t.k = s.k
                    where t.v > 0 group by s.k
                    """;
            }
            case "consolidation":
            {
                // Benchmark per service: a quantile of the providers' unit costs; each provider above it could save
                // its cost minus the benchmark times its workstations.
                var q = benchmarkQuantile ?? k.Number("benchmark_quantile") ?? 0.25m;
                var uc = k.Text("unit_cost");
                var points = $"select slice_key, split_part(slice_key, '|', 2) as svc, value as uc, numerator as "
                    + $"cost, denominator as vol from r where kpi_id = '{uc}' and dimension = 'provider_service' and "
                        + $"value is not null";
                var select = Attributed.Contains(dim) ? Attribute(k.Id, dim) : $"""
                    select '{k.Id}', '{dim}', y.k, round(sum(y.v), 10), round(sum(y.v), 10), null
                    from (select {KpiDimensions.RollUp(KpiDimensions.ProviderService, dim)} as k, v
                      from pot) y group by y.k
                    """;
                return $"""
                    {Insert}{Quantile("select svc as k, uc as value from pts", q, $"pts as ({points}),")}
                    , pot as (select pts.slice_key, greatest(0, pts.cost - b.v * pts.vol) as v from pts
                      join quantile b on b.k = pts.svc)
                    {select}
                    """;
            }
            case "regression":
            {
                var points = k.ForDimension("points", dim)!;
                var x = k.Text("x");
                var y = k.ForDimension("y", dim)!;
                var fn = k.Text("stat") == "r2" ? "regr_r2" : "regr_slope";
                var min = KpiCatalogue.Num(k.Number("min_points") ?? 3);
                return $"""
                    {head}q.k, round(({fn}(q.yv, q.xv))::numeric, 10), null, regr_count(q.yv, q.xv)
                    from (select {KpiDimensions.RollUp(points, dim)} as k, yv, xv from (
                            select y.slice_key, y.value::float8 as yv, x.value::float8 as xv
                            from r y join r x on x.dimension = y.dimension and x.slice_key = y.slice_key
                            where y.kpi_id = '{y}' and x.kpi_id = '{x}' and y.dimension = '{points}'
                              and y.value is not null and x.value is not null) p) q
                    group by q.k having regr_count(q.yv, q.xv) >= {min}
                    """;
            }
            case "returns":
            {
                var (v, n, d) = k.Text("stat") switch
                {
                    "expected" => ("expected", "expected", "null"),
                    "received" => ("received", "received", "null"),
                    _ => ("kpi_div(received, expected)", "received", "expected"),
                };
                return $"{head}'NRW', {v}, {n}, {d} from kpi_run";
            }
            default:
                throw new KpiCatalogueException($"KPI '{k.Id}': unknown shape '{k.Shape}'");
        }
    }

    /// <summary>
    /// Territory dimensions a provider's consolidation potential is attributed to by workstation share.
    /// </summary>
    static readonly HashSet<string> Attributed = [KpiDimensions.Region, KpiDimensions.District,
        KpiDimensions.Municipality];

    /// <summary>
    /// A provider's potential (summed over its services) split like cost_attributed: potential x the provider's
    /// workstations in the slice / all its workstations. Providers without workstations cannot be attributed.
    /// </summary>
    static string Attribute(string id, string dim)
    {
        var key = KpiDimensions.FactKey[dim];
        return $"""
            select '{id}', '{dim}', a.k, round(sum(p.v * a.w / t.w), 10), round(sum(p.v * a.w / t.w), 10), null
            from (select split_part(slice_key, '|', 1) as pc, sum(v) as v from pot group by 1) p
            join (select provider_code as pc, {key} as k, sum(value) as w from f
                  where measure = 'workstations' and {key} is not null group by 1, 2) a on a.pc = p.pc
            join (select provider_code as pc, sum(value) as w from f where measure = 'workstations' group by 1) t
              on t.pc = p.pc
            where t.w > 0
            group by a.k
            """;
    }

    /// <summary>Measure rows (k, v) per slice: summed, or counted once per municipality (population).</summary>
    static string Aggregate(string measure, string key) => OncePerMunicipality.Contains(measure)
        ? $"select k, sum(v) as v from (select {key} as k, ags, max(value) as v from f where measure = '{measure}' "
            + $"and {key} is not null group by 1, 2) x group by 1"
        : $"select {key} as k, sum(value) as v from f where measure = '{measure}' and {key} is not null group by 1";

    /// <summary>
    /// A CTE chain ending in "quantile (k, v, n)": the q-quantile of value per k with linear interpolation between
    /// the ranks (Excel QUANTIL.INKL, numpy's default), in exact numeric arithmetic.
    /// </summary>
    static string Quantile(string rows, decimal q, string before = "") => $"""
        with {before} qy as ({rows}),
        qx as (select k, value, row_number() over (partition by k order by value) - 1 as rn, count(*) over (partition by
          k) as n from qy),
        qp as (select distinct k, n, {KpiCatalogue.Num(q)}::numeric * (n - 1) as pos from qx),
        quantile as (select qp.k, lo.value + (hi.value - lo.value) * (qp.pos - floor(qp.pos)) as v, qp.n
                     from qp join qx lo on lo.k = qp.k and lo.rn = floor(qp.pos) join qx hi on hi.k = qp.k
                       and hi.rn = ceil(qp.pos))
        """;

    /// <summary>
    /// The measures a KPI value at a dimension reads, following KPIs it is derived from (for lineage).
    /// </summary>
    public static IReadOnlySet<string> MeasuresOf(KpiCatalogue catalogue, KpiDefinition k, string dim)
    {
        var set = new HashSet<string>();
        void Add(string? m) { if (!string.IsNullOrEmpty(m)) set.Add(m); }
        switch (k.Shape)
        {
            case "sum": Add(k.ForDimension("measure", dim, "measure_by_dimension")); break;
            case "ratio":
                Add(k.ForDimension("numerator", dim, "numerator_by_dimension"));
                Add(k.ForDimension("denominator", dim, "denominator_by_dimension"));
                break;
            case "share" or "weighted_rate" or "area_coverage" or "municipality_coverage" or "distinct_count" or "hhi"
                or "pair_rate":
                Add(k.Text("measure")); break;
            case "quantile" or "count_at_least":
                set.UnionWith(MeasuresOf(catalogue, catalogue[k.Text("of")], k.Text("from_dimension"))); break;
            case "consolidation":
                set.UnionWith(MeasuresOf(catalogue, catalogue[k.Text("unit_cost")], KpiDimensions.ProviderService));
                if (Attributed.Contains(dim)) set.Add("workstations");
                break;
            case "regression":
            {
                var points = k.ForDimension("points", dim)!;
                set.UnionWith(MeasuresOf(catalogue, catalogue[k.ForDimension("y", dim)!], points));
                set.UnionWith(MeasuresOf(catalogue, catalogue[k.Text("x")], points));
                break;
            }
        }
        return set;
    }

    /// <summary>
    /// Shape-specific checks; <paramref name="earlier"/> maps KPIs defined before this one to their dimensions.
    /// </summary>
    internal static IEnumerable<string> Validate(KpiDefinition k, IReadOnlyDictionary<string, HashSet<string>> earlier)
    {
        var dims = (k.Dimensions ?? []).Where(KpiDimensions.All.Contains).ToList();
        IEnumerable<string> Measure(string? m, string what) =>
            string.IsNullOrEmpty(m) ? [$"params.{what} is missing"]
            : Measures.Contains(m)
                ? [] : [$"params.{what} '{m}' is not a measure (known: {string.Join(", ", Measures)})"];
        IEnumerable<string> Number(string name, decimal lo, decimal hi) =>
            k.Number(name) is { } v ? (v < lo || v > hi
                ? [$"params.{name} {v} is outside {lo}..{hi}"] : []) : [$"params.{name} (a number) is missing"];
        IEnumerable<string> Earlier(string? id, string what, string? needsDim)
        {
            if (string.IsNullOrEmpty(id)) return [$"params.{what} (a KPI id) is missing"];
            if (!earlier.TryGetValue(id,
                out var d)) return [$"params.{what} '{id}' is not a KPI defined before this one"];
            return needsDim is not null && !d.Contains(needsDim)
                ? [$"params.{what} '{id}' has no dimension '{needsDim}'"] : [];
        }
        IEnumerable<string> RollsUp(string from) => dims.Where(d => KpiDimensions.RollUp(from, d) is null)
            .Select(d => $"dimension '{d}' cannot be reached from '{from}'");
        IEnumerable<string> OnlyDims(params string[] allowed) => dims.Where(d => !allowed.Contains(d))
            .Select(d => $"shape {k.Shape} cannot be sliced by '{d}' (only {string.Join(", ", allowed)})");

        switch (k.Shape)
        {
            case "sum":
                return dims.SelectMany(d => Measure(k.ForDimension("measure", d, "measure_by_dimension"), "measure"));
            case "ratio":
                return dims.SelectMany(d
                    => Measure(k.ForDimension("numerator", d, "numerator_by_dimension"), "numerator")
                    .Concat(Measure(k.ForDimension("denominator", d, "denominator_by_dimension"), "denominator")));
            case "share":
                return Measure(k.Text("measure"), "measure").Concat(dims.SelectMany(d =>
                    k.ForDimension("within", d) is { } p && KpiDimensions.All.Contains(p) ? Array.Empty<string>()
                    : [$"params.within names no known parent dimension for '{d}'"]));
            case "weighted_rate":
                return Measure(k.Text("measure"), "measure").Concat(Number("min", 0, 4))
                    .Concat(k.Text("universe") == "municipal_ozg_services"
                        ? [] : ["params.universe must be 'municipal_ozg_services'"])
                    .Concat(OnlyDims(KpiDimensions.Municipality, KpiDimensions.District, KpiDimensions.Region,
                        KpiDimensions.Nrw));
            case "area_coverage":
                return Measure(k.Text("measure"), "measure").Concat(Number("min", 0, 4))
                    .Concat(OnlyDims(KpiDimensions.OzgService, KpiDimensions.OzgTopic, KpiDimensions.Nrw));
            case "pair_rate":
                return Measure(k.Text("measure"), "measure").Concat(Number("min", 0, 4));
            case "municipality_coverage":
                return Measure(k.Text("measure"), "measure")
                    .Concat(k.Text("weight") is "count" or "population"
                        ? [] : ["params.weight must be 'count' or 'population'"]);
            case "distinct_count":
                return Measure(k.Text("measure"), "measure")
                    .Concat(KpiDimensions.All.Contains(k.Text("per"))
                        ? [] : [$"params.per '{k.Text("per")}' is not a dimension"]);
            case "quantile":
                return Earlier(k.Text("of"), "of",
                    k.Text("from_dimension")).Concat(Number("q", 0, 1)).Concat(RollsUp(k.Text("from_dimension")));
            case "count_at_least":
                return Earlier(k.Text("of"), "of", k.Text("from_dimension")).Concat(Number("min", decimal.MinValue,
                    decimal.MaxValue)).Concat(RollsUp(k.Text("from_dimension")));
            case "hhi":
                return Measure(k.Text("measure"), "measure");
            case "consolidation":
                return Earlier(k.Text("unit_cost"), "unit_cost", KpiDimensions.ProviderService)
                    .Concat(k.Number("benchmark_quantile") is null ? [] : Number("benchmark_quantile", 0, 1))
                    .Concat(dims.Where(d => !Attributed.Contains(d)
                        && KpiDimensions.RollUp(KpiDimensions.ProviderService, d) is null)
                        .Select(d => $"dimension '{d}' cannot be reached from '{KpiDimensions.ProviderService}'"));
            case "regression":
                return dims.SelectMany(d =>
                {
                    var points = k.ForDimension("points", d);
                    if (points is null || !KpiDimensions.All.Contains(
                        points)) return [$"params.points names no point dimension for '{d}'"];
                    return Earlier(k.ForDimension("y", d), "y", points).Concat(Earlier(k.Text("x"), "x", points))
                        .Concat(KpiDimensions.RollUp(points, d) is null
                            ? [$"dimension '{d}' cannot be reached from '{points}'"] : []);
                }).Concat(k.Text("stat") is "slope" or "r2" ? [] : ["params.stat must be 'slope' or 'r2'"]);
            case "returns":
                return (k.Text("stat") is "expected" or "received" or "completeness"
                    ? Array.Empty<string>() : ["params.stat must be expected, received or completeness"])
                    .Concat(OnlyDims(KpiDimensions.Nrw));
            default:
                return [];
        }
    }

    internal static bool IsNumber(JsonElement e) => e.ValueKind == JsonValueKind.Number;
}
