using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Kpis;
using static Reporting.Scenarios.ScenarioCosts;

namespace Reporting.Scenarios;

/// <summary>
/// Computes a scenario: the baseline is the period's KPI snapshot (computed, or reused from the same input); the
/// scenario applies the changes to the period's accepted facts in a transaction that is always rolled back
/// (stored returns never change), computes the catalogue there with the KPI engine's own SQL, once per estimate
/// (the low and the high cost assumptions, as factors on the cost rows), and compares per KPI and slice.
/// </summary>
public sealed class ScenarioEngine(NpgsqlDataSource db, KpiEngine kpis, IOptions<KpisOptions> options,
    ILogger<ScenarioEngine> logger)
{
    static readonly HashSet<string> CostMeasures = ["cost", "cost_attributed"];
    static readonly HashSet<string> OzgMeasures = ["ozg_maturity"];
    static readonly HashSet<string> Territory = ["region", "district", "municipality", "district_ozg_topic"];

    /// <summary>Parses, validates and computes a scenario's JSON.</summary>
    public async Task<ScenarioOutcome> RunAsync(string json, KpiScope scope, decimal? remanentShare,
        CancellationToken ct = default)
    {
        var parsed = ScenarioParser.Parse(json);
        return parsed.Scenario is null ? ScenarioOutcome.Failed(parsed.Problems)
            : await RunAsync(parsed.Scenario, scope, remanentShare, ct);
    }

    public async Task<ScenarioOutcome> RunAsync(ScenarioDefinition scenario, KpiScope scope, decimal? remanentShare,
        CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        await using var conn = await db.OpenConnectionAsync(ct);
        var world = await ScenarioWorld.LoadAsync(conn, null, scenario.Period, ct);
        var problems = world.Validate(scenario, out var plan).ToList();
        if (scope.Kind == KpiScopeKind.District && !world.Districts.ContainsKey(scope.Key!))
            problems.Add($"Der Kreis „{scope.Key}“ des Ausschnitts ist unbekannt.");
        if (scope.Kind == KpiScopeKind.Provider && !world.Providers.ContainsKey(scope.Key!))
            problems.Add($"Der Dienstleister „{scope.Key}“ des Ausschnitts ist unbekannt.");
        if (problems.Count > 0) return ScenarioOutcome.Failed(problems);

        var remanent = remanentShare ?? scenario.RemanentShare ?? DefaultRemanentShare;
        var curves = Curves(world);
        var models = new[] { CostModel.ReceivingUnitCost, CostModel.ScaleCurve };
        var lows = models.Select(m => (Model: m, Cells: Apply(world, plan!, m, 0, curves))).ToList();
        var highs = models.Select(m => (Model: m, Cells: Apply(world, plan!, m, remanent, curves))).ToList();
        var low = lows.MinBy(x => Total(x.Cells));
        var high = highs.MaxBy(x => Total(x.Cells));

        var stages = new List<(string Stage, long Ms)>();
        void Stage(string stage) { lock (stages) stages.Add((stage, clock.ElapsedMilliseconds)); }
        Stage("check");
        // OZG KPIs read only the best maturity per municipality and OZG service: without a move of online
        // services no change alters them, so they keep their baseline values and the OZG facts are not read.
        var withOzg = plan!.Steps.OfType<MoveStep>().Any(m => m.TakesOzg);
        var ozgKpis = kpis.Catalogue.Kpis.Where(k => k.Dimensions.All(d
            => KpiShapes.MeasuresOf(kpis.Catalogue, k, d).SetEquals(OzgMeasures))).Select(k => k.Id).ToHashSet();
        var run = kpis.Catalogue.Kpis.Where(k => withOzg || !ozgKpis.Contains(k.Id)).ToList();
        // The high estimate differs only in cost: it computes the KPIs that read cost (and the KPIs those read
        // from r), and keeps the low estimate's values of the others.
        var costKpis = run.Where(k => k.Dimensions.Any(d
            => KpiShapes.MeasuresOf(kpis.Catalogue, k, d).Overlaps(CostMeasures))).Select(k => k.Id).ToHashSet();
        var needed = new HashSet<string>(costKpis);
        while (run.Where(k => needed.Contains(k.Id)).SelectMany(k => k.Params.Values.SelectMany(Strings))
            .Where(id => kpis.Catalogue.Find(id) is not null && !needed.Contains(id)).ToList() is { Count: > 0 } more)
            needed.UnionWith(more);

        // The baseline (reused or computed on its own connection, reading the stored facts only) while the changes
        // are applied and both estimates computed; Task.WhenAll lets neither outlive a failure of the other.
        var baselineTask = BaselineAsync(scenario.Period, Stage, ct);
        var estimatesTask = EstimatesAsync(conn, world, plan!, withOzg, run,
            run.Where(k => needed.Contains(k.Id)).ToList(), costKpis, Factors(low.Cells, out _),
            Factors(high.Cells, out _), Stage, ct);
        await Task.WhenAll(baselineTask, estimatesTask);
        var (baselineId, baseline) = await baselineTask;
        var (lowValues, highValues) = await estimatesTask;
        var unchanged = withOzg ? [] : baseline.Where(v => ozgKpis.Contains(v.KpiId)).ToList();

        lowValues.AddRange(unchanged);
        highValues.AddRange(unchanged);
        var visible = await VisibilityAsync(conn, scope, plan!, ct);
        var changes = plan!.Steps.Select(s => Describe(s, world)).ToList();
        var lowAssumptions = Assumptions(low.Model, 0, remanent, curves, world, plan!);
        var highAssumptions = Assumptions(high.Model, remanent, remanent, curves, world, plan!);
        var result = new ScenarioResult(scenario.Name, scenario.Period, scope.ToString(), baselineId, changes,
            lowAssumptions.Concat(highAssumptions).Distinct().ToList(),
            [
                new ScenarioEstimate("low", "niedrige Schätzung", lowAssumptions,
                    Compare(baseline, lowValues, visible)),
                new ScenarioEstimate("high", "hohe Schätzung", highAssumptions,
                    Compare(baseline, highValues, visible)),
            ], clock.ElapsedMilliseconds);
        logger.LogInformation("Scenario {Name} of {Period} ({Changes} changes) computed in {Ms} ms ({Stages})",
            scenario.Name, scenario.Period, plan.Steps.Count, clock.ElapsedMilliseconds,
            string.Join(", ", stages.Select(x => $"{x.Stage} {x.Ms}")));
        return new ScenarioOutcome([], result);
    }

    async Task<(long Id, List<KpiResult> Values)> BaselineAsync(string period, Action<string> stage,
        CancellationToken ct)
    {
        var id = await kpis.ComputeSnapshotAsync(period, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var values = await KpiResult.OfSnapshotAsync(conn, null, id, ct);
        stage("baseline");
        return (id, values);
    }

    /// <summary>
    /// Applies the changes in a transaction that is always rolled back, reads the facts once (f), and computes the
    /// low estimate there and the high one on a second connection at the same time (one core each). The second
    /// connection gets a copy of f: applying the changes there too would wait for the first's row locks.
    /// </summary>
    async Task<(List<KpiResult> Low, List<KpiResult> High)> EstimatesAsync(NpgsqlConnection conn, ScenarioWorld world,
        ScenarioPlan plan, bool withOzg, IReadOnlyList<KpiDefinition> run, IReadOnlyList<KpiDefinition> highRun,
        IReadOnlySet<string> costKpis,
        Dictionary<(string Provider, string Service), decimal> lowFactors,
        Dictionary<(string Provider, string Service), decimal> highFactors, Action<string> stage, CancellationToken ct)
    {
        await using var other = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var otherTx = await other.BeginTransactionAsync(ct);
        try
        {
            // A tenth of the default sample is plenty for f's few measures and providers, and analyze f is a good
            // part of reading the facts (230 -> 50 ms on NRW). Plans may differ, values do not.
            foreach (var (c, t) in new[] { (conn, tx), (other, otherTx) })
                await Exec(c, t, "set local default_statistics_target = 20", ct);
            var (versions, expected) = await ApplyAsync(conn, tx, world, plan, withOzg, ct);
            stage("apply");
            await KpiEngine.CreateInputAsync(conn, tx, versions, expected, versions.Count, ct, withOzg);
            await Exec(other, otherTx,
                "create temporary table f on commit drop as select * from kpi_input('{}', false) with no data", ct);
            await using (var source = await conn.BeginRawBinaryCopyAsync("copy f to stdout (format binary)", ct))
            await using (var target = await other.BeginRawBinaryCopyAsync("copy f from stdin (format binary)", ct))
                await source.CopyToAsync(target, ct);
            stage("input");

            var lowTask = EstimateAsync(conn, tx, lowFactors, run, ct);
            var highTask = Task.Run(async () =>
            {
                await KpiEngine.PrepareRunAsync(other, otherTx, expected, versions.Count, ct);
                return await EstimateAsync(other, otherTx, highFactors, highRun, ct);
            }, ct);
            await Task.WhenAll(lowTask, highTask);
            stage("estimates");
            var low = await lowTask;
            // The second connection does not see providers the first inserted (a merger into a new code): its
            // labels come from the first's, slice by slice.
            var labels = low.ToDictionary(v => (v.KpiId, v.Dimension, v.SliceKey), v => v.SliceLabel);
            var high = (await highTask).Where(v => costKpis.Contains(v.KpiId))
                .Select(v => labels.TryGetValue((v.KpiId, v.Dimension, v.SliceKey), out var label)
                    ? v with { SliceLabel = label } : v)
                .Concat(low.Where(v => !costKpis.Contains(v.KpiId))).ToList();
            return (low, high);
        }
        finally
        {
            await otherTx.RollbackAsync(CancellationToken.None);
            await tx.RollbackAsync(CancellationToken.None);
        }
    }

    /// <summary>One estimate on a prepared f: its cost factors applied, the KPIs computed and read.</summary>
    async Task<List<KpiResult>> EstimateAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        Dictionary<(string Provider, string Service), decimal> factors, IReadOnlyList<KpiDefinition> run,
        CancellationToken ct)
    {
        await Exec(conn, tx, """
            create temporary table scenario_factors (provider_code text, service_code text, factor numeric,
              primary key (provider_code, service_code)) on commit drop;
            insert into scenario_factors select * from unnest($1::text[], $2::text[], $3::numeric[]);
            update f set value = f.value * x.factor
            from scenario_factors x
            where f.measure in ('cost', 'cost_attributed') and x.provider_code = f.provider_code
              and x.service_code = f.service_code;
            """, ct, factors.Keys.Select(k => k.Provider).ToArray(), factors.Keys.Select(k => k.Service).ToArray(),
            factors.Values.ToArray());
        await kpis.RunAsync(conn, tx, run, ct);
        return await KpiEngine.ReadResultsAsync(conn, tx, ct);
    }

    /// <summary>
    /// Applies the changes to the facts (inside the caller's transaction, rolled back afterwards) and returns the
    /// return versions that remain and the returns expected then (merged-away providers no longer report).
    /// </summary>
    static async Task<(List<long> Versions, int Expected)> ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        ScenarioWorld world, ScenarioPlan plan, bool withOzg, CancellationToken ct)
    {
        var version = world.Versions.ToDictionary(x => x.Key, x => x.Value);
        var (_, _, expected) = await KpiEngine.InputAsync(conn, tx, world.Period, ct);
        foreach (var step in plan.Steps)
        {
            if (step is MergeStep m)
            {
                var target = version[m.Target];
                if (m.NewName is not null)
                    await Exec(conn, tx, "insert into providers (code, name) values ($1, $2)", ct, m.Into, m.NewName);
                if (m.Target != m.Into)
                    await Exec(conn, tx, "update return_versions set provider_code = $1 where id = $2", ct, m.Into,
                        target);
                foreach (var p in m.Providers.Where(p => p != m.Target))
                {
                    await Exec(conn, tx, MergeFacts, ct, target, version[p]);
                    // Without OZG KPIs to compute (withOzg false) nobody reads the merged maturities.
                    if (withOzg) await Exec(conn, tx, MergeOzgFacts, ct, target, version[p]);
                    version.Remove(p);
                    expected--;
                }
                version.Remove(m.Target);
                version[m.Into] = target;
            }
            else if (step is MoveStep mv)
            {
                var to = version[mv.To];
                var others = version.Where(x => x.Key != mv.To).Select(x => x.Value).ToArray();
                await Exec(conn, tx, """
                    create temporary table moved on commit drop as
                      select ags, service_code, sum(workstations)::int as workstations, sum(users)::int as users,
                             sum(charges) as charges, min(sheet) as sheet, min(row_number) as row_number
                      from supply_facts where return_version_id = any($1) and ags = any($2) and service_code = any($3)
                      group by 1, 2;
                    """, ct, others, mv.Municipalities.ToArray(), mv.Services.ToArray());
                await Exec(conn, tx, """
                    delete from supply_facts where return_version_id = any($1) and ags = any($2)
                      and service_code = any($3)
                    """, ct, others, mv.Municipalities.ToArray(), mv.Services.ToArray());
                await Exec(conn, tx, """
                    insert into supply_facts (return_version_id, ags, service_code, workstations, users, charges,
                                              sheet, row_number)
                    select $1, ags, service_code, workstations, users, charges, sheet, row_number from moved
                    on conflict (return_version_id, ags, service_code) do update
                      set workstations = supply_facts.workstations + excluded.workstations,
                          users = supply_facts.users + excluded.users,
                          charges = supply_facts.charges + excluded.charges;
                    drop table moved;
                    """, ct, to);
                if (mv.TakesOzg)
                    // The receiving provider's platform: per OZG service the best maturity it reports anywhere.
                    await Exec(conn, tx, """
                        create temporary table best on commit drop as
                          select ozg_id, max(maturity) as maturity, bool_or(efa) as efa
                          from ozg_facts where return_version_id = $1 group by ozg_id;
                        delete from ozg_facts where return_version_id = any($2) and ags = any($3);
                        insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, sheet, row_number)
                        select $1, a.ags, b.ozg_id, b.maturity, b.efa, 'Szenario', 0
                        from unnest($3::text[]) a(ags) cross join best b;
                        drop table best;
                        """, ct, to, version.Values.ToArray(), mv.Municipalities.ToArray());
            }
        }
        return (version.Values.Order().ToList(), expected);
    }

    /// <summary>Moves one return version's facts ($2) into another ($1), adding up where both have a row.</summary>
    const string MergeFacts = """
        insert into supply_facts (return_version_id, ags, service_code, workstations, users, charges, sheet, row_number)
        select $1, ags, service_code, workstations, users, charges, sheet, row_number from supply_facts
        where return_version_id = $2
        on conflict (return_version_id, ags, service_code) do update
          set workstations = supply_facts.workstations + excluded.workstations,
              users = supply_facts.users + excluded.users, charges = supply_facts.charges + excluded.charges;
        insert into cost_facts (return_version_id, service_code, cost_type, amount, sheet, cell)
        select $1, service_code, cost_type, amount, sheet, cell from cost_facts where return_version_id = $2
        on conflict (return_version_id, service_code, cost_type) do update
          set amount = cost_facts.amount + excluded.amount;
        update return_versions set staff_fte = (select sum(staff_fte) from return_versions where id in ($1, $2))
        where id = $1;
        """;

    /// <summary>Moves one return version's OZG maturities ($2) into another ($1), keeping the better.</summary>
    const string MergeOzgFacts = """
        insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, online_since, sheet, row_number)
        select $1, ags, ozg_id, maturity, efa, online_since, sheet, row_number from ozg_facts
        where return_version_id = $2
        on conflict (return_version_id, ags, ozg_id) do update
          set maturity = greatest(ozg_facts.maturity, excluded.maturity), efa = ozg_facts.efa or excluded.efa
        """;

    /// <summary>The strings in a KPI's parameters (some name the KPIs a derived shape reads from r).</summary>
    static IEnumerable<string> Strings(System.Text.Json.JsonElement e) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => [e.GetString()!],
        System.Text.Json.JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        System.Text.Json.JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>
    /// Which rows the scope sees, by the rules of <see cref="SnapshotReader"/>: NRW all; a district or region its
    /// own territory, NRW-wide aggregates and its registered providers (a merged provider where one of its parts
    /// is); a provider its own rows, and aggregates only where at least Kpis:AnonymityMinProviders providers
    /// report (service rows: run the service).
    /// </summary>
    async Task<Func<KpiResult, IReadOnlyList<KpiResult>, bool>> VisibilityAsync(NpgsqlConnection conn,
        KpiScope scope, ScenarioPlan plan, CancellationToken ct)
    {
        if (scope.Kind == KpiScopeKind.Nrw) return (_, _) => true;
        var min = options.Value.AnonymityMinProviders;
        if (scope.Kind == KpiScopeKind.Provider)
            return (v, all) => v.ProviderCode == scope.Key
                || (v.ProviderCode is null && !Territory.Contains(v.Dimension)
                    && all.Where(x => x.Dimension == "provider").Select(x => x.ProviderCode).Distinct().Count() >= min
                    && (v.Dimension != "service" || all.Any(x => x.KpiId == "providers_per_service"
                        && x.Dimension == "service" && x.SliceKey == v.SliceKey && x.Value >= min)));

        var districts = new HashSet<string>();
        var providers = new HashSet<string>();
        string? region = null;
        await using (var cmd = new NpgsqlCommand("""
            select d.key, d.region_key, pd.provider_code from districts d
            left join provider_districts pd on pd.district_key = d.key
            where ($1 = 'district' and d.key = $2) or ($1 = 'region' and d.region_key = $2)
            """, conn) { Parameters = { new() { Value = scope.OwnDimension }, new() { Value = scope.Key! } } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                districts.Add(r.GetString(0));
                region = r.GetString(1);
                if (!r.IsDBNull(2)) providers.Add(r.GetString(2));
            }
        foreach (var m in plan.Steps.OfType<MergeStep>().Where(m => m.Providers.Any(providers.Contains)))
            providers.Add(m.Into);
        return (v, _) => v.ProviderCode is { } p ? providers.Contains(p)
            : !Territory.Contains(v.Dimension)
              || (v.DistrictKey is { } d && districts.Contains(d))
              || (v.Dimension == "region" && v.SliceKey == region);
    }

    static List<ScenarioValue> Compare(List<KpiResult> baseline, List<KpiResult> scenario,
        Func<KpiResult, IReadOnlyList<KpiResult>, bool> visible)
    {
        var before = baseline.Where(v => visible(v, baseline)).ToDictionary(v => (v.KpiId, v.Dimension, v.SliceKey));
        var after = scenario.Where(v => visible(v, scenario)).ToDictionary(v => (v.KpiId, v.Dimension, v.SliceKey));
        return before.Keys.Union(after.Keys)
            .Select(k =>
            {
                var any = after.GetValueOrDefault(k) ?? before[k];
                return new ScenarioValue(k.KpiId, k.Dimension, k.SliceKey, any.SliceLabel,
                    before.GetValueOrDefault(k)?.Value, after.GetValueOrDefault(k)?.Value)
                { DistrictKey = any.DistrictKey, ProviderCode = any.ProviderCode };
            })
            .OrderBy(v => v.Kpi, StringComparer.Ordinal).ThenBy(v => v.Dimension, StringComparer.Ordinal)
            .ThenBy(v => v.Slice, StringComparer.Ordinal).ToList();
    }

    static string Describe(ScenarioStep step, ScenarioWorld w) => step switch
    {
        MergeStep m => $"Änderung {m.Number}: Fusion von {string.Join(", ", m.Providers)} zu {m.Into}"
            + (m.NewName is null ? "" : $" ({m.NewName}, neu)"),
        MoveStep mv => $"Änderung {mv.Number}: {mv.Municipalities.Count} Gemeinde(n) "
            + $"({string.Join(", ", mv.Municipalities.Take(5).Select(a => w.Municipalities[a].Name))}"
            + (mv.Municipalities.Count > 5 ? ", …" : "") + $") verlagern {string.Join(", ", mv.Services)} zu {mv.To}"
            + (mv.TakesOzg ? "; sie übernehmen dessen OZG-Reifegrade" : ""),
        _ => "",
    };

    /// <summary>The named assumptions of one estimate, in German.</summary>
    static List<string> Assumptions(CostModel model, decimal share, decimal configured,
        IReadOnlyDictionary<string, Reports.PowerFit> curves, ScenarioWorld w, ScenarioPlan plan)
    {
        var de = CultureInfo.GetCultureInfo("de-DE");
        var list = new List<string>
        {
            model == CostModel.ReceivingUnitCost
                ? "Kostenmodell „Stückkosten des Aufnehmenden“: das übernommene Volumen kostet die Stückkosten des "
                  + "aufnehmenden Dienstleisters für die Leistung; der abgebende spart seine eigenen Stückkosten je "
                  + "abgegebenem Arbeitsplatz."
                : "Kostenmodell „Skalenkurve“: Stückkosten folgen der gemessenen Kurve Stückkosten = a·Arbeitsplätze^b "
                  + "je Leistung (über die Dienstleister des Zeitraums), vom Stand des Dienstleisters zum neuen "
                  + "Volumen: neue Stückkosten = Stückkosten × (neues Volumen / Volumen)^b.",
            share == 0
                ? "Remanenzkosten: keine (nach der Übergangszeit; eingestellt sind "
                  + string.Create(de, $"{configured:P0}") + " für die Übergangszeit)."
                : "Remanenzkosten: der abgebende Dienstleister (bei einer Fusion der aufgehende) behält "
                  + string.Create(de, $"{share:P0}") + " der abgegebenen Kosten in der Übergangszeit.",
        };
        if (model == CostModel.ScaleCurve)
        {
            var services = plan.Steps.SelectMany(s => s switch
            {
                MoveStep mv => mv.Services,
                MergeStep m => w.Costs.Keys.Where(k => m.Providers.Contains(k.Provider)).Select(k => k.Service),
                _ => [],
            }).Distinct().Order(StringComparer.Ordinal).ToList();
            var fitted = services.Where(curves.ContainsKey).Select(s => string.Create(de,
                $"{s} b = {Elasticity(curves, s):0.###} (R² {curves[s].R2:0.##})")).ToList();
            if (fitted.Count > 0) list.Add("Skalenkurven: " + string.Join("; ", fitted) + ".");
            var flat = services.Where(s => !curves.ContainsKey(s)).ToList();
            if (flat.Count > 0)
                list.Add($"Ohne Skalenkurve (weniger als 3 Dienstleister mit Kosten und Arbeitsplätzen), b = 0: "
                    + string.Join(", ", flat) + ".");
        }
        return list;
    }

    /// <summary>
    /// Runs statements separated by ";" at a line's end as one batch (a prepared statement holds one command);
    /// each gets the arguments up to the highest $n it names.
    /// </summary>
    static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct,
        params object[] args)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var statement in System.Text.RegularExpressions.Regex.Split(sql, @";\s*\n")
            .Where(x => !string.IsNullOrWhiteSpace(x)))
        {
            var command = new NpgsqlBatchCommand(statement);
            var used = System.Text.RegularExpressions.Regex.Matches(statement, @"\$(\d+)")
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            foreach (var a in args.Take(used)) command.Parameters.Add(new NpgsqlParameter { Value = a });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }
}
