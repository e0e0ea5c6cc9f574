using System.CommandLine;
using Reporting.Cli;
using Reporting.Demo;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>demo [--reference DIR] [--out DIR]</c>: the whole pipeline on the embedded default, through Hangfire, as
/// production runs it; on the demo region, or with <c>--reference</c> on a reference folder (../shared/reference).
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>(
            "--out") { Description = "Where results go (default: Paths:Output, .local/out/)." };
        var reference = new Option<DirectoryInfo?>("--reference")
        {
            Description = "Run on this reference folder (e.g. ../shared/reference, the real NRW landscape) " +
                "instead of the demo region: its providers, one generated return each. Uses a database of its own " +
                "on the embedded cluster.",
        };
        var command = new Command("demo",
            "Run the demo pipeline: database, reference data, sample returns, KPIs, dashboards, mails.")
        {
            output, reference,
        };
        command.SetAction((p, ct) =>
        {
            var referenceDir = p.GetValue(reference)?.FullName;
            if (referenceDir is not null)
            {
                if (!Directory.Exists(referenceDir))
                {
                    Console.Error.WriteLine($"error: reference folder {referenceDir} not found");
                    return Task.FromResult(1);
                }
                // Not mixed with the demo region's data: the embedded cluster gets a database for this reference.
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Database__DatabaseName")))
                    Environment.SetEnvironmentVariable("Database__DatabaseName",
                        ReferenceReturns.DatabaseName(referenceDir));
            }
            return Verbs.RunAsync((host, _) =>
                host.Get<DemoPipeline>().RunAsync(p.GetValue(output)?.FullName, referenceDir, ct),
                ct, withJobServer: true, needs: Needs.Charts | Needs.Output, output: p.GetValue(output)?.FullName);
        });
        return command;
    }
}
