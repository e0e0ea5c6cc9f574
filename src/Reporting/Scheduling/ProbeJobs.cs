using Hangfire;
using Hangfire.Server;
using Npgsql;

namespace Reporting.Scheduling;

/// <summary>
/// A tiny real job for checking scale-out: records which server and process ran it. Idempotent per tag
/// (a retried probe records once). Used by the two-process test and handy for checking a deployment.
/// </summary>
public sealed class ProbeJobs(NpgsqlDataSource db)
{
    [JobDisplayName("Prüfauftrag {0}")]
    [AutomaticRetry(Attempts = 0)]
    public async Task Record(string tag, int workMilliseconds, PerformContext? context, CancellationToken ct)
    {
        await Task.Delay(workMilliseconds, ct);
        await using var cmd = db.CreateCommand("""
            insert into job_probes (tag, server_name, process_id)
            select $1, $2, $3 where not exists (select 1 from job_probes where tag = $1)
            """);
        cmd.Parameters.Add(new() { Value = tag });
        cmd.Parameters.Add(new() { Value = context?.ServerId ?? Environment.MachineName });
        cmd.Parameters.Add(new() { Value = Environment.ProcessId });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
