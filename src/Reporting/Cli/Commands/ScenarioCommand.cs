using System.CommandLine;
using System.Globalization;
using Reporting.Kpis;
using Reporting.Scenarios;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>scenario FILE [--scope ...] [--format table|json] [--xlsx OUT] [--remanent SHARE]</c>: computes a consolidation
/// scenario (mergers, moves) against the period's baseline and prints both side by side with their deltas.
/// </summary>
public static class ScenarioCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE")
            { Description = "Scenario JSON, e.g. data/demo/scenarios/merge.json." };
        var scope = new Option<string>("--scope") { Description = "nrw (default), region=051, district=05162 or "
            + "provider=CODE.", DefaultValueFactory = _ => "nrw" };
        var format = new Option<string>("--format") { Description = "table or json.",
            DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var xlsx = new Option<FileInfo?>("--xlsx") { Description = "Also write the workbook (sheet \"Szenario\")." };
        var remanent = new Option<decimal?>("--remanent") { Description = "Share of its cost a sending provider "
            + "keeps in the transition (0..1; overrides the file's remanentShare; default 0.2)." };
        var command = new Command("scenario",
            "Compute a consolidation scenario (mergers, moves) against the period's baseline.")
            { file, scope, format, xlsx, remanent };
        command.SetAction((p, ct) =>
        {
            var path = p.GetValue(file)!;
            if (!path.Exists)
            { Console.Error.WriteLine($"error: {path.FullName} does not exist"); return Task.FromResult(2); }
            if (!KpiScope.TryParse(p.GetValue(scope), out var s, out var scopeError))
            { Console.Error.WriteLine($"error: {scopeError}"); return Task.FromResult(2); }
            if (p.GetValue(remanent) is { } share && share is < 0 or > 1)
            { Console.Error.WriteLine("error: --remanent must be between 0 and 1"); return Task.FromResult(2); }
            return Verbs.RunAsync(async (host, _) =>
            {
                var outcome = await host.Get<ScenarioEngine>().RunAsync(await File.ReadAllTextAsync(path.FullName, ct),
                    s, p.GetValue(remanent), ct);
                if (outcome.Result is not { } result)
                {
                    foreach (var problem in outcome.Problems) Console.Error.WriteLine($"Fehler: {problem}");
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"error: {outcome.Problems.Count} problem(s) in {path.Name}; nothing computed"));
                    return 1;
                }
                Console.Write(p.GetValue(format) == "json" ? ScenarioExport.ToJson(result) + Environment.NewLine
                    : ScenarioExport.ToTable(result, host.Get<KpiCatalogue>()));
                if (p.GetValue(xlsx) is { } output)
                {
                    await ScenarioWorkbook.WriteAsync(result, host.Get<KpiCatalogue>(), output.FullName, ct);
                    Console.Error.WriteLine($"workbook: {output.FullName}");
                }
                return 0;
            }, ct);
        });
        return command;
    }
}
