using System.CommandLine;
using Npgsql;
using Reporting.Cli;
using Reporting.Ingestion;
using Reporting.Uploads;
using Reporting.Reference;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>template --period 2025 --out FILE</c>: the return template with drop-downs from the reference data in the
/// database.
/// </summary>
public static class TemplateCommand
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Reporting period, e.g. 2025 or 2025-Q1.",
            Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the xlsx file.", Required = true };
        var provider = new Option<string?>(
            "--provider") { Description = "Provider code to prefill on the cover (optional)." };
        var command = new Command("template", "Write the provider return template (xlsx)") { period, output, provider };
        command.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var catalog = await ReferenceCatalog.LoadAsync(host.Get<NpgsqlDataSource>(), ct);
            var file = p.GetValue(output)!;
            if (file.DirectoryName is { } dir) Directory.CreateDirectory(dir);
            await File.WriteAllBytesAsync(file.FullName,
                ReturnTemplate.Create(p.GetValue(period)!, catalog, p.GetValue(provider)), ct);
            Console.WriteLine(
                $"template {ReturnTemplateLayout.TemplateId} {ReturnTemplateLayout.Version} for {p.GetValue(period)} "
                    + $"written to {file.FullName} " +
                $"({catalog.Municipalities.Count} municipalities, {catalog.OzgServices.Count} OZG services, "
                    + $"{catalog.Services.Count} services in the drop-downs)");
            return 0;
        }, ct));
        return command;
    }
}
