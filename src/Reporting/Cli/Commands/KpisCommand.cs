using System.CommandLine;
using System.Globalization;
using Reporting.Cli;
using Reporting.Kpis;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>kpis --period P [--scope district=05162] [--format table|json|csv] [--kpi ID,...]</c>: computes the period's
/// snapshot (or reuses the one from the same input) and prints it as the scope sees it.
/// <c>kpis explain --snapshot ID --kpi KPI --dimension D --slice KEY</c>: the facts behind one value.
/// </summary>
public static class KpisCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Reporting period, e.g. 2025 or 2025-Q1." };
        var scope = new Option<string>(
            "--scope") { Description = "nrw (default), region=051, district=05162 or provider=CODE.",
                DefaultValueFactory = _ => "nrw" };
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _
            => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var kpi = new Option<string?>("--kpi") { Description = "Only these KPI ids (comma-separated)." };
        var command = new Command("kpis", "Compute (or reuse) a period's KPI snapshot and print it.") { period, scope,
            format, kpi, Explain(), Catalogue() };
        command.SetAction((p, ct) =>
        {
            if (string.IsNullOrWhiteSpace(p.GetValue(period))) { Console.Error.WriteLine(
                "error: --period is required (e.g. --period 2025)"); return Task.FromResult(2); }
            if (!KpiScope.TryParse(p.GetValue(scope), out var s,
                out var scopeError)) { Console.Error.WriteLine($"error: {scopeError}"); return Task.FromResult(2); }
            return Verbs.RunAsync(async (host, _) =>
            {
                var result = await host.Get<KpiEngine>().ComputeAsync(p.GetValue(period)!, ct);
                var snapshot = (await host.Get<SnapshotReader>().LoadAsync(result.SnapshotId, s, ct))!;
                var wanted = (p.GetValue(kpi) ?? "").Split(',',
                    StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                if (wanted.Count > 0) snapshot = snapshot with { Values = snapshot.Values.Where(v
                    => wanted.Contains(v.KpiId)).ToList(),
                        Comparisons = snapshot.Comparisons.Where(c => wanted.Contains(c.KpiId)).ToList() };
                var fmt = p.GetValue(format);
                var summary = string.Create(CultureInfo.InvariantCulture,
                    $"snapshot {snapshot.Id} of {snapshot.Period} "
                        + $"({(result.Reused ? "reused, same input" : "computed")}), scope {s}: "
                            + $"{Counted(snapshot)}{(snapshot.Provisional ? ", provisional" : "")}, "
                                + $"{snapshot.Values.Count} values");
                // Machine formats keep stdout clean; the summary goes to stderr.
                (fmt == "table" ? Console.Out : Console.Error).WriteLine(summary);
                Console.Write(fmt switch
                {
                    "json" => KpiExport.ToJson(snapshot) + Environment.NewLine,
                    "csv" => KpiExport.ToCsv(snapshot),
                    _ => KpiExport.ToTable(snapshot, host.Get<KpiCatalogue>()),
                });
                return 0;
            }, ct);
        });
        return command;
    }

    static string Counted(KpiSnapshot s) => s.Completeness is { } c
        ? string.Create(CultureInfo.InvariantCulture,
            $"{s.ReturnsReceived} of {s.ReturnsExpected} returns, completeness {c:0.####}")
        : "returns counted withheld (anonymity minimum)";

    static Command Explain()
    {
        var snapshot = new Option<long>("--snapshot") { Description = "Snapshot id (printed by 'kpis').",
            Required = true };
        var kpi = new Option<string>("--kpi") { Description = "KPI id, e.g. total_cost.", Required = true };
        var dimension = new Option<string>("--dimension") { Description = "Dimension, e.g. district.",
            Required = true };
        var slice = new Option<string>("--slice") { Description = "Slice key, e.g. 05162 or NRW.", Required = true };
        var limit = new Option<int>("--limit") { Description = "At most this many facts.", DefaultValueFactory = _
            => 200 };
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _
            => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("explain",
            "List the facts behind one KPI value: provider, return version, sheet and cell.") { snapshot, kpi,
                dimension, slice, limit, format };
        command.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var e = await host.Get<KpiLineage>().ExplainAsync(p.GetValue(snapshot), p.GetValue(kpi)!,
                p.GetValue(dimension)!, p.GetValue(slice)!, p.GetValue(limit), null, ct);
            if (e is null) { Console.Error.WriteLine("error: no such value in that snapshot"); return 1; }
            if (p.GetValue(format) == "json") { Console.WriteLine(KpiExport.ToJson(e)); return 0; }
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c,
                $"{e.Kpi.Id} ({e.Kpi.Name}) {e.Value.Dimension}={e.Value.SliceKey} {e.Value.SliceLabel}: "
                + $"value {e.Value.Value} = {e.Value.Numerator} / {e.Value.Denominator}, "
                + $"completeness {e.Value.Completeness}{(e.Value.Provisional ? ", provisional" : "")}"));
            Console.WriteLine(
                $"measures: {string.Join(", ", e.Measures.Order(StringComparer.Ordinal))}; {e.TotalFacts} "
                    + $"facts{(e.TotalFacts > e.Facts.Count ? $", first {e.Facts.Count} shown" : "")}");
            foreach (var f in e.Facts)
            {
                var version = f.Version is { } v ? $" (v{v})" : "";
                Console.WriteLine(string.Create(c,
                    $"  {f.Measure,-20} {f.ProviderCode,-10} version {f.ReturnVersionId}{version,-6} {f.Source,-14} "
                    + $"{f.Sheet}!{f.Cell}  {f.Value}  {f.Ags}{(f.ServiceCode is null ? "" : " " + f.ServiceCode)}"
                    + $"{(f.CostType is null ? "" : " " + f.CostType)}{(f.OzgId is null ? "" : " OZG " + f.OzgId)}"));
            }
            return 0;
        }, ct));
        return command;
    }

    static Command Catalogue()
    {
        var command = new Command("catalogue", "List the KPI catalogue (validated at start-up).");
        command.SetAction((_, ct) => Verbs.RunAsync((host, _) =>
        {
            var cat = host.Get<KpiCatalogue>();
            Console.WriteLine($"KPI catalogue {cat.Hash[..12]}: {cat.Kpis.Count} KPIs");
            foreach (var k in cat.Kpis)
                Console.WriteLine(
                    $"  {k.Id,-34} {k.Shape,-22} [{string.Join(", ", k.Dimensions)}]  {k.Name} ({k.Unit})");
            return Task.FromResult(0);
        }, ct, migrate: false));
        return command;
    }
}
