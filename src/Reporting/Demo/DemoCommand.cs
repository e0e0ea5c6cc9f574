using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Demo;

/// <summary><c>demo</c>: the whole pipeline on the embedded default, through Hangfire, as production runs it.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where results go (default: Paths:Output, .local/out/)." };
        var command = new Command("demo", "Run the demo pipeline: database, reference data, sample returns, KPIs, dashboards, mails.") { output };
        command.SetAction((p, ct) => Verbs.RunAsync(
            (host, _) => host.Get<DemoPipeline>().RunAsync(p.GetValue(output)?.FullName, ct), ct,
            withJobServer: true, needs: Needs.Charts | Needs.Output, output: p.GetValue(output)?.FullName));
        return command;
    }
}
