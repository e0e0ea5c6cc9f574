using System.CommandLine;
using System.Globalization;
using Reporting.Cli;
using Reporting.Reference;

namespace Reporting.Cli.Commands;

/// <summary><c>reference import DIR</c>.</summary>
public static class ReferenceCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>(
            "DIR") { Description = "Folder laid out like ../shared/reference (nrw_gemeinden.csv, ozg_leistungen.csv, "
                + "...)." };
        var asOf = new Option<string>(
            "--population-as-of") { Description = "Reference date of the population figures (yyyy-mm-dd).",
                DefaultValueFactory = _ => "2019-12-31" };
        var import = new Command("import", "Import municipalities, districts, OZG catalogue, service areas " +
            "(and their providers) and KPI reference values; safe to repeat.") { dir, asOf };
        import.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var s = await host.Get<ReferenceImporter>().ImportAsync(p.GetValue(dir)!.FullName,
                DateOnly.ParseExact(p.GetValue(asOf)!, "yyyy-MM-dd", CultureInfo.InvariantCulture), ct);
            Console.WriteLine(
                $"{s.Municipalities} municipalities in {s.Districts} districts and {s.Regions} regions, population "
                    + $"{s.Population:N0}");
            Console.WriteLine(
                $"{s.OzgServices} OZG services in {s.OzgTopics} topics, {s.LeikaServices} LeiKa services, "
                    + $"{s.ProviderAreas} provider areas, {s.KpiReferenceValues} KPI reference values");
            Console.WriteLine($"{s.Providers} providers registered ('providers list'; 'providers key CODE' issues a " +
                "key)");
            // The other rows are imported; each bad one was logged with file, line and column.
            if (s.SkippedRows > 0)
                Console.Error.WriteLine($"warning: {s.SkippedRows} row(s) not imported (named above); fix them in "
                    + "the file and import again");
            return 0;
        }, ct));
        return new Command("reference", "Reference data (municipalities, OZG catalogue).") { import };
    }
}
