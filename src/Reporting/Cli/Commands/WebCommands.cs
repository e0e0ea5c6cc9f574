using System.CommandLine;
using Reporting.Cli;
using Reporting.Scheduling;

namespace Reporting.Cli.Commands;

/// <summary><c>serve</c> (web host and workers) and <c>worker</c> (workers only; run several for scale-out).</summary>
public static class WebCommands
{
    public static Command Serve()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on.", DefaultValueFactory = _
            => "http://127.0.0.1:5080" };
        var noWorkers = new Option<bool>(
            "--no-workers") { Description = "Web host only; jobs run in separate 'worker' processes." };
        var command = new Command("serve",
            "Run the web host (API, provider portal, job console) with job workers.") { urls, noWorkers };
        command.SetAction(async (p, ct) =>
        {
            var builder = ReportingHost.CreateWebBuilder(["--urls", p.GetValue(urls)!]);
            if (!p.GetValue(noWorkers)) builder.AddJobServer();
            var app = builder.Build();
            app.MapReporting();
            return await RunAsync(app, ct);
        });
        return command;
    }

    public static Command Worker()
    {
        var command = new Command("worker",
            "Run job workers only, on the shared PostgreSQL; start more processes to scale out.");
        command.SetAction(async (_, ct) =>
        {
            var builder = ReportingHost.CreateBuilder();
            builder.AddJobServer();
            return await RunAsync(builder.Build(), ct);
        });
        return command;
    }

    /// <summary>
    /// Runs the host after the prerequisites check; a bad jobs/ file stops the start with one line naming the file,
    /// exit code 1.
    /// </summary>
    static async Task<int> RunAsync(IHost app, CancellationToken ct)
    {
        // Jobs render charts and write output: a missing piece is one line now, not a failed job later.
        var problems = Prerequisites.Check(app.Services, database: true, Needs.Charts | Needs.Output, output: null);
        foreach (var problem in problems) Console.Error.WriteLine($"error: {problem}");
        if (problems.Count > 0) return 1;
        try
        {
            await app.RunAsync(ct);
            return 0;
        }
        catch (JobFileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
