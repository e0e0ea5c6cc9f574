using System.CommandLine;
using System.Globalization;
using Reporting.Ingestion;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>generate --out DIR [--providers N] [--periods 2024,2025] [--rows N] [--seed S] [--reference DIR]</c>:
/// deterministic demo returns as xlsx files named CODE-PERIOD.xlsx. Needs no database.
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>(
            "--out") { Description = "Folder for the generated returns (CODE-PERIOD.xlsx).", Required = true };
        var providers = new Option<int?>(
            "--providers") { Description = "Only the first N providers (default: all of the reference)." };
        var periods = new Option<string>("--periods") { Description = "Comma-separated periods.",
            DefaultValueFactory = _ => "2024,2025" };
        var rows = new Option<int?>(
            "--rows") { Description = "Rows per return for benchmarks (most on sheet OZG; past the reference's key "
                + "space keys repeat and are reported as duplicates)." };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same files' facts.",
            DefaultValueFactory = _ => 42 };
        var reference = new Option<DirectoryInfo?>(
            "--reference") { Description = "Reference folder: data/reference (demo region, default) or "
                + "../shared/reference (real NRW CSV files)." };
        var command = new Command("generate", "Generate deterministic demo returns") { output, providers, periods,
            rows, seed, reference };
        command.SetAction(p =>
        {
            var refDir = p.GetValue(reference)?.FullName
                ?? Path.Combine(AppPaths.FindContentRoot(), "data", "reference");
            if (!Directory.Exists(refDir)) { Console.Error.WriteLine(
                $"error: reference folder {refDir} not found"); return 1; }
            var r = DemoReturnReference.Load(refDir);
            var dir = p.GetValue(output)!;
            dir.Create();
            var selected = r.Providers.Take(p.GetValue(providers) ?? int.MaxValue).ToList();
            foreach (var period in p.GetValue(periods)!.Split(',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                foreach (var provider in selected)
                {
                    var g = DemoReturnGenerator.Generate(r, provider, period, p.GetValue(seed), p.GetValue(rows));
                    var path = Path.Combine(dir.FullName, $"{provider.Code}-{period}.xlsx");
                    DemoReturnWriter.Write(g, r.Catalog, path);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{path}: {g.Costs.Count} cost lines, {g.Supply.Count} supply rows, {g.Ozg.Count} OZG rows, "
                            + $"total {g.Cover.StatedTotal:0.00} EUR"));
                    if (g.DuplicateOzgRows > 0)
                        Console.Error.WriteLine(
                            $"note: {provider.Code}-{period}: {g.DuplicateOzgRows} OZG rows repeat a (AGS, OZG id) "
                                + $"key, because --rows exceeds the " +
                            $"{provider.Municipalities.Count} x {r.Catalog.OzgServices.Count} unique keys of this "
                                + $"provider; the validator reports them as duplicates.");
                }
            return 0;
        });
        return command;
    }
}
