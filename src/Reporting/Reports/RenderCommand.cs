using Reporting.Kpis;
using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Reports;

/// <summary><c>render --period P [--scope district=05162] [--snapshot ID] --out DIR [--svg]</c>.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Reporting period, e.g. 2025 or 2025-Q1.", Required = true };
        var scope = new Option<string>("--scope") { Description = "Whose slice: nrw, region=051, district=05162, provider=CODE.", DefaultValueFactory = _ => "nrw" };
        var snapshot = new Option<long?>("--snapshot") { Description = "KPI snapshot id (default: the latest of the period)." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for the workbook and the chart images.", Required = true };
        var svg = new Option<bool>("--svg") { Description = "Also write the charts as SVG." };
        var command = new Command("render", "Render charts and the executive workbook of a KPI snapshot") { period, scope, snapshot, outDir, svg };
        command.SetAction((p, ct) =>
        {
            KpiScope s;
            try { s = KpiScope.Parse(p.GetValue(scope)!); }
            catch (FormatException e) { Console.Error.WriteLine($"error: {e.Message}"); return Task.FromResult(2); }
            return Verbs.RunAsync(async (host, token) =>
            {
                var renderer = host.Get<DashboardRenderer>();
                var per = p.GetValue(period)!;
                var id = p.GetValue(snapshot) ?? await renderer.LatestSnapshotAsync(per, token);
                if (id is null)
                {
                    Console.Error.WriteLine($"no KPI snapshot for period {per}; run kpis first");
                    return 1;
                }
                var result = await renderer.RenderAsync(id.Value, s, p.GetValue(svg), token);
                if (result.Period != per) Console.Error.WriteLine($"warning: snapshot {id} is of period {result.Period}, not {per}");
                var files = result.WriteTo(p.GetValue(outDir)!.FullName);
                Console.WriteLine($"snapshot {result.SnapshotId} ({result.Period}{(result.Provisional ? ", provisional" : "")}), scope {s}: {files.Count} files in {p.GetValue(outDir)!.FullName}");
                foreach (var f in files) Console.WriteLine($"  {Path.GetFileName(f)}");
                return 0;
            }, ct);
        });
        return command;
    }
}
