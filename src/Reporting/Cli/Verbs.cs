using System.CommandLine;

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

    /// <summary>Runs a verb's body with the app's services; failures print one clear line and exit 1.</summary>
    public static async Task<int> RunAsync(Func<CliHost, CancellationToken, Task<int>> body, CancellationToken ct, bool withJobServer = false, bool migrate = true)
    {
        try
        {
            await using var host = await CliHost.StartAsync(withJobServer, migrate, ct);
            return await body(host, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or DirectoryNotFoundException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
