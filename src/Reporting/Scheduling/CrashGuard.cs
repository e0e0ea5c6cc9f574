using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Reporting.Database;

namespace Reporting.Scheduling;

/// <summary>
/// A job that kills the process running it (a stack overflow, an out-of-memory kill) must not be re-run for ever:
/// Hangfire requeues it after the invisibility timeout and it takes the next worker down too. Every run writes an
/// attempt row before the job's code runs and deletes it when the run ends in any way (success, exception,
/// shutdown); a row left behind is a death, charged to the run only if its own work had begun: a job marked
/// <see cref="WaitsBeforeWorkAttribute"/> begins when it says so (an ingest when it holds its slot), so a run that
/// was only waiting while another job took the process down is run again without a mark. When a worker is about
/// to start a job that already died <see cref="MaxDeaths"/> times, the job goes to Failed with the reason instead
/// (no automatic retry: this filter runs after AutomaticRetry), and the console shows it under "Fehlgeschlagen".
/// A job's attempt rows end with the job: all of them when it succeeds or is deleted, all but the deaths it was
/// given up for when it fails.
/// </summary>
public sealed class CrashGuard(NpgsqlDataSource db, ILogger<CrashGuard> log)
    : IElectStateFilter, IServerFilter, IApplyStateFilter
{
    public const int MaxDeaths = 2;
    /// <summary>After every other filter, so that AutomaticRetry never turns our Failed into another retry.</summary>
    public const int FilterOrder = int.MaxValue;
    const string AttemptKey = "Reporting.CrashGuard.AttemptId";

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not ProcessingState) return;
        var jobId = context.BackgroundJob.Id;
        try
        {
            var waited = ForgetWaitingRuns(jobId);
            if (waited > 0)
                log.LogInformation("Job {JobId} was waiting to begin its work when its process died ({Runs} times); "
                    + "running it again without counting that", jobId, waited);
            var (deaths, lastServer, lastStart) = OpenAttempts(jobId);
            if (deaths == 0) return;
            if (deaths < MaxDeaths)
            {
                log.LogWarning("Job {JobId} was started before by {Server} at {Started:u}, whose process died while "
                    + "running it; running it again ({Deaths} of {Max} deaths)",
                    jobId, lastServer, lastStart, deaths, MaxDeaths);
                return;
            }
            GiveUp(jobId);
            log.LogError("Job {JobId} died with its process {Deaths} times (last on {Server} at {Started:u}); "
                + "failed for good", jobId, deaths, lastServer, lastStart);
            context.CandidateState = new FailedState(new ProcessDiedException(deaths, lastServer, lastStart))
            {
                Reason = $"Nicht erneut gestartet: der Prozess ist {deaths}-mal während dieses Auftrags abgestürzt.",
            };
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // Without the attempt table the job runs as Hangfire alone would run it; never block the queue on it.
            log.LogWarning(e, "Job {JobId}: the attempt record could not be read; running it unguarded", jobId);
        }
    }

    public void OnPerforming(PerformingContext context)
    {
        JobWork.OnBegin(null);
        var waits = context.BackgroundJob.Job?.Method.IsDefined(typeof(WaitsBeforeWorkAttribute), true) == true;
        try
        {
            using var cmd = db.CreateCommand("""
                insert into job_attempts (job_id, server_id, working_since)
                values ($1, $2, case when $3 then null else now() end)
                returning id
                """);
            cmd.Parameters.Add(new() { Value = context.BackgroundJob.Id });
            cmd.Parameters.Add(new() { Value = context.ServerId ?? Environment.MachineName });
            cmd.Parameters.Add(new() { Value = waits });
            var id = (long)cmd.ExecuteScalar()!;
            context.Items[AttemptKey] = id;
            if (waits) JobWork.OnBegin(ct => BeginWorkAsync(context.BackgroundJob.Id, id, ct));
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            log.LogWarning(e, "Job {JobId}: the attempt record could not be written; running it unguarded",
                context.BackgroundJob.Id);
        }
    }

    /// <summary>From here on the run is charged if its process dies.</summary>
    async Task BeginWorkAsync(string jobId, long id, CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand("update job_attempts set working_since = now() where id = $1");
            cmd.Parameters.Add(new() { Value = id });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            log.LogWarning(e, "Job {JobId}: the beginning of its work could not be recorded; a death now would "
                + "not be counted", jobId);
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        JobWork.OnBegin(null);
        if (!context.Items.TryGetValue(AttemptKey, out var id)) return;
        try
        {
            using var cmd = db.CreateCommand("delete from job_attempts where id = $1");
            cmd.Parameters.Add(new() { Value = (long)id });
            cmd.ExecuteNonQuery();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The row stays and would count as a death: one death is tolerated, and the job did end.
            log.LogWarning(e, "Job {JobId}: the attempt record {Id} could not be closed", context.BackgroundJob.Id, id);
        }
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        var sql = context.NewState switch
        {
            SucceededState or DeletedState => "delete from job_attempts where job_id = $1",
            FailedState => "delete from job_attempts where job_id = $1 and given_up_at is null",
            _ => null,
        };
        if (sql is null) return;
        try
        {
            using var cmd = db.CreateCommand(sql);
            cmd.Parameters.Add(new() { Value = context.BackgroundJob.Id });
            cmd.ExecuteNonQuery();
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            log.LogWarning(e, "Job {JobId} ended, but its attempt records could not be closed",
                context.BackgroundJob.Id);
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction) { }

    /// <summary>The attempt table is out of reach: the job runs as Hangfire alone would run it.</summary>
    static bool IsStorageFailure(Exception e) => e is NpgsqlException or TimeoutException or ObjectDisposedException;

    (int Deaths, string Server, DateTime Started) OpenAttempts(string jobId)
    {
        using var cmd = db.CreateCommand("""
            select count(*)::int, (array_agg(server_id order by id desc))[1], max(started_at)
            from job_attempts where job_id = $1 and given_up_at is null and working_since is not null
            """);
        cmd.Parameters.Add(new() { Value = jobId });
        using var r = cmd.ExecuteReader();
        r.Read();
        var n = r.GetInt32(0);
        return n == 0 ? (0, "", default) : (n, r.GetString(1), r.GetDateTime(2));
    }

    /// <summary>Rows of runs that died before their work began: no deaths, so they go.</summary>
    int ForgetWaitingRuns(string jobId)
    {
        using var cmd = db.CreateCommand(
            "delete from job_attempts where job_id = $1 and working_since is null and given_up_at is null");
        cmd.Parameters.Add(new() { Value = jobId });
        return cmd.ExecuteNonQuery();
    }

    void GiveUp(string jobId)
    {
        using var cmd = db.CreateCommand("""
            update job_attempts set given_up_at = now()
            where job_id = $1 and given_up_at is null and working_since is not null
            """);
        cmd.Parameters.Add(new() { Value = jobId });
        cmd.ExecuteNonQuery();
    }

    /// <summary>What the console shows for a job that was failed because its process kept dying.</summary>
    public sealed class ProcessDiedException(int deaths, string lastServer, DateTime lastStarted) : Exception(
        $"Der Prozess, der diesen Auftrag ausführte, ist {deaths}-mal während der Ausführung beendet worden " +
        $"(zuletzt {lastServer}, gestartet {lastStarted:yyyy-MM-dd HH:mm:ss} UTC), etwa durch einen Stapelüberlauf " +
        "oder Speichermangel. Damit er nicht den nächsten Worker mitreißt, wird er nicht erneut gestartet. " +
        "Ursache im Log prüfen und den Auftrag erst danach erneut einreihen.");
}
