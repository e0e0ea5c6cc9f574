using Npgsql;
using Reporting.Access;
using Reporting.Uploads;
using Reporting.Pipeline;

namespace Reporting.Demo;

public sealed record SampleRun(int Files, int Accepted, int Rejected, int Pending, int Recognised);

/// <summary>
/// The demo's "sample returns" step: the demo providers exist, every data/samples/*.xlsx goes through the same intake
/// as an API upload, Hangfire jobs ingest them, and we wait for the verdicts. Known bytes are recognised, so a
/// second run stores and ingests nothing again.
/// </summary>
public sealed class SampleReturns(ProviderKeys providers, UploadIntake intake, NpgsqlDataSource db)
{
    public static readonly (string Code, string Name)[] DemoProviders =
        [("KDZA", "KDZ Auenland"), ("ITVB", "ITV Brückenfeld"), ("WTIT", "Wiesental-IT")];

    /// <summary>
    /// The sample files grouped by the period in their name (CODE-PERIOD.xlsx), earliest first: a period's snapshot
    /// compares with the one before, so the demo loads last year before this year, as providers would have.
    /// </summary>
    public static IReadOnlyList<string[]> FilesByPeriod(string samplesDir) =>
        (Directory.Exists(samplesDir) ? Directory.GetFiles(samplesDir, "*.xlsx") : [])
            .GroupBy(f => Path.GetFileNameWithoutExtension(f) is var n && n.IndexOf('-') is var dash and >= 0
                ? n[(dash + 1)..] : "")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Order(StringComparer.Ordinal).ToArray())
            .ToList();

    /// <param name="checkJobs">Called while waiting; throws to stop waiting (a failed ingest job).</param>
    /// <param name="demoProviders">False where the providers are registered already (a reference import).</param>
    public async Task<SampleRun> SubmitAndWaitAsync(IReadOnlyList<string> files, TimeSpan timeout, CancellationToken ct,
        Action? checkJobs = null, bool demoProviders = true)
    {
        if (demoProviders)
            foreach (var (code, name) in DemoProviders) await providers.EnsureAsync(code, name, ct);
        var receipts = new List<IntakeReceipt>();
        foreach (var file in files)
        {
            await using var content = File.OpenRead(file);
            receipts.Add(await intake.SubmitAsync(content, Path.GetFileName(file), null, "demo", ct));
        }

        var ids = receipts.Select(r => r.VersionId).ToArray();
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<string, int> states;
        while (true)
        {
            states = await StatesAsync(ids, ct);
            if (!states.ContainsKey(ReturnStates.Received) || DateTime.UtcNow > deadline) break;
            checkJobs?.Invoke();
            await Task.Delay(250, ct);
        }
        return new(files.Count,
            states.GetValueOrDefault(ReturnStates.Accepted) + states.GetValueOrDefault(ReturnStates.Superseded),
            states.GetValueOrDefault(ReturnStates.Rejected), states.GetValueOrDefault(ReturnStates.Received),
            receipts.Count(r => r.Recognised));
    }

    async Task<Dictionary<string, int>> StatesAsync(long[] ids, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "select status, count(*)::int from return_versions where id = any($1) group by status");
        cmd.Parameters.Add(new() { Value = ids });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var states = new Dictionary<string, int>();
        while (await r.ReadAsync(ct)) states[r.GetString(0)] = r.GetInt32(1);
        return states;
    }
}
