using System.CommandLine;
using Reporting.Logging;
using Reporting.Scheduling;

namespace Reporting.Cli;

/// <summary>Small helpers shared by the verbs.</summary>
public static class Verbs
{
    /// <summary>A verb whose feature has not landed yet: it says so and exits non-zero.</summary>
    public static Command NotBuiltYet(string name, string description, int issue)
    {
        var command = new Command(name, $"{description} (not built yet: issue #{issue})");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            Console.Error.WriteLine($"'{name}' is not built yet; it arrives with issue #{issue}.");
            return 3;
        });
        return command;
    }

    /// <summary>
    /// Runs a verb's body with the app's services; failures print one clear line each and exit 1. Full traces are
    /// in the log file, never on the terminal.
    /// </summary>
    public static async Task<int> RunAsync(Func<CliHost, CancellationToken, Task<int>> body, CancellationToken ct,
        bool withJobServer = false, bool migrate = true, Needs needs = Needs.None, string? output = null)
    {
        FileLoggerProvider? logs = null;   // the host's log file, once it has started
        try
        {
            await using var host = await CliHost.StartAsync(withJobServer, migrate, ct, needs, output);
            logs = host.Services.GetService<FileLoggerProvider>();
            try
            {
                return await body(host, ct);
            }
            catch (JobsFailedException e)
            {
                foreach (var failure in e.Failures) Console.Error.WriteLine($"failed: {failure}");
                Console.Error.WriteLine($"error: stopped after {e.Failures.Count} failed job(s). "
                    + $"Full traces: {Relative(logs?.CurrentFile)}; the job console: run 'serve' and open /hangfire "
                    + "(\"Fehlgeschlagen\"; retries are scheduled there).");
                return 1;
            }
        }
        catch (PrerequisitesMissingException e)
        {
            foreach (var problem in e.Problems) Console.Error.WriteLine($"error: {problem}");
            return 1;
        }
        catch (Npgsql.NpgsqlException e)
        {
            Console.Error.WriteLine($"error: {DatabaseError(e, logs)}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or DirectoryNotFoundException
            or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            // A value outside what its options class allows (appsettings.json or the environment): name it.
            foreach (var failure in e.Failures) Console.Error.WriteLine($"error: invalid configuration: {failure}");
            return 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect of ours, not of the input: one line here, the trace in the error log.
            Console.Error.WriteLine($"error: an unexpected {e.GetType().Name}; {WriteErrorLog(e, logs)}");
            return 1;
        }
    }

    /// <summary>
    /// One neutral line for a database failure; PostgreSQL's own message (tables, constraints, key values) goes to
    /// the error log under .local/ and never to the terminal.
    /// </summary>
    static string DatabaseError(Npgsql.NpgsqlException e, FileLoggerProvider? logs)
    {
        var what = e is Npgsql.PostgresException pg
            ? $"the database refused the operation (PostgreSQL error {pg.SqlState})"
            : "the database could not be reached or the connection broke";
        return $"{what}; {WriteErrorLog(e, logs)}";
    }

    /// <summary>
    /// Appends the whole exception to the host's log file (Paths:Logs), or to .local/logs/errors.log when the host
    /// never started, and says where it is.
    /// </summary>
    static string WriteErrorLog(Exception e, FileLoggerProvider? logs)
    {
        try
        {
            var log = logs?.CurrentFile ?? Path.Combine(AppPaths.FindContentRoot(), ".local", "logs", "errors.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.AppendAllText(log, $"{DateTimeOffset.UtcNow:u} {e}{Environment.NewLine}");
            return $"the details are in {Relative(log)}";
        }
        catch (Exception io) when (io is IOException or UnauthorizedAccessException)
        {
            return $"the details could not be written to the error log ({io.GetType().Name})";
        }
    }

    static string Relative(string? path)
    {
        if (path is null) return "the log file";
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
