using Reporting.Kpis;
using System.CommandLine;
using Reporting.Cli;
using Reporting.Reports;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>render --period P [--scope district=05162] [--snapshot ID] --out DIR [--svg]</c>; <c>--scope districts</c>
/// renders every district's dashboard, with progress on the terminal.
/// </summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Reporting period, e.g. 2025 or 2025-Q1.",
            Required = true };
        var scope = new Option<string>(
            "--scope") { Description = "Whose slice: nrw, region=051, district=05162, provider=CODE; districts: every "
                + "district, one after another.", DefaultValueFactory = _ => "nrw" };
        var snapshot = new Option<long?>(
            "--snapshot") { Description = "KPI snapshot id (default: the latest of the period)." };
        var outDir = new Option<DirectoryInfo>(
            "--out") { Description = "Folder for the workbook and the chart images.", Required = true };
        var svg = new Option<bool>("--svg") { Description = "Also write the charts as SVG." };
        var command = new Command("render", "Render charts and the executive workbook of a KPI snapshot") { period,
            scope, snapshot, outDir, svg };
        command.SetAction((p, ct) =>
        {
            var everyDistrict = p.GetValue(scope) == AllDistricts;
            KpiScope s = KpiScope.Nrw;
            try { if (!everyDistrict) s = KpiScope.Parse(p.GetValue(scope)!); }
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
                if (everyDistrict) return await RenderEveryDistrictAsync(renderer, id.Value, p.GetValue(svg),
                    p.GetValue(outDir)!.FullName, token);
                var result = await renderer.RenderAsync(id.Value, s, p.GetValue(svg), token);
                if (result.Period != per) Console.Error.WriteLine(
                    $"warning: snapshot {id} is of period {result.Period}, not {per}");
                var files = result.WriteTo(p.GetValue(outDir)!.FullName);
                Console.WriteLine(
                    $"snapshot {result.SnapshotId} ({result.Period}{(result.Provisional ? ", provisional" : "")}), "
                        + $"scope {s}: {files.Count} files in {p.GetValue(outDir)!.FullName}");
                foreach (var f in files) Console.WriteLine($"  {Path.GetFileName(f)}");
                return 0;
            }, ct, needs: Needs.Charts | Needs.Output, output: p.GetValue(outDir)!.FullName);
        });
        return command;
    }

    const string AllDistricts = "districts";

    static async Task<int> RenderEveryDistrictAsync(DashboardRenderer renderer, long snapshotId, bool svg,
        string outDir, CancellationToken ct)
    {
        var districts = await renderer.DistrictsAsync(ct);
        var progress = !Console.IsErrorRedirected;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var files = 0;
        for (var i = 0; i < districts.Count; i++)
        {
            if (progress) Console.Error.Write($"\r[{i + 1}/{districts.Count}] {districts[i].Name,-40}");
            files += (await renderer.RenderAsync(snapshotId, KpiScope.District(districts[i].Key), svg,
                ct)).WriteTo(outDir).Count;
        }
        if (progress) Console.Error.Write('\r' + new string(' ', 60) + '\r');
        Console.WriteLine(
            $"snapshot {snapshotId}: {districts.Count} district dashboards ({files} files) in {outDir}, "
                + $"{started.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
