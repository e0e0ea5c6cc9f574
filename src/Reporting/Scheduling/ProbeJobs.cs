using Hangfire;
using Hangfire.Server;
using Npgsql;

namespace Reporting.Scheduling;

/// <summary>
/// A tiny real job for checking scale-out: records which server and process ran it. It records every
/// execution on purpose (a duplicate run shows up as a second row with the same tag), so it has no retries.
/// Used by the two-process test and handy for checking a deployment.
/// </summary>
public sealed class ProbeJobs(NpgsqlDataSource db)
{
    [JobDisplayName("Prüfauftrag {0}")]
    [AutomaticRetry(Attempts = 0)]
    public async Task Record(string tag, int workMilliseconds, PerformContext? context, CancellationToken ct)
    {
        await Task.Delay(workMilliseconds, ct);
        await using var cmd = db.CreateCommand("""
            insert into job_probes (tag, server_name, process_id) values ($1, $2, $3)
            """);
        cmd.Parameters.Add(new() { Value = tag });
        cmd.Parameters.Add(new() { Value = context?.ServerId ?? Environment.MachineName });
        cmd.Parameters.Add(new() { Value = Environment.ProcessId });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
