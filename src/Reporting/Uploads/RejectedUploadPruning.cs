using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Uploads;

/// <summary>
/// The recurring job "upload-prune": deletes the bytes of uploads rejected more than Uploads:RejectedRetentionDays
/// ago (the row, its hash, verdict and messages stay; accepted and superseded uploads are kept in full).
/// </summary>
public sealed class RejectedUploadPruning(
    NpgsqlDataSource db, IOptions<UploadsOptions> options, ILogger<RejectedUploadPruning> log)
{
    public const string RecurringJobId = "upload-prune";

    [AutomaticRetry(Attempts = 0)]   // the next scheduled run is the retry
    [JobDisplayName("Abgelehnte Uploads nach Aufbewahrungsfrist löschen")]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        // The stored feedback workbook is a copy of the provider's file: it goes with the bytes.
        await using var cmd = db.CreateCommand("""
            with pruned as (
                update uploads u set content = ''::bytea
                from return_versions rv
                where rv.upload_id = u.id and rv.status = 'rejected'
                  and (octet_length(u.content) > 0 or exists (select from upload_chunks c where c.upload_id = u.id))
                  and coalesce(rv.decided_at, u.received_at) < now() - make_interval(days => $1)
                returning u.id
            ), chunks as (
                delete from upload_chunks c where c.upload_id in (select id from pruned)
            ), feedback as (
                delete from return_feedback f
                using return_versions rv
                where f.return_version_id = rv.id and rv.upload_id in (select id from pruned)
            )
            select count(*) from pruned
            """);
        cmd.Parameters.Add(new() { Value = options.Value.RejectedRetentionDays });
        var pruned = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct));
        log.LogInformation("Pruned the bytes of {Count} rejected upload(s) older than {Days} days",
            pruned, options.Value.RejectedRetentionDays);
        return pruned;
    }

    /// <summary>Registers the recurring job at start, in processes that run job workers.</summary>
    internal sealed class Schedule(IOptions<UploadsOptions> options, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<RejectedUploadPruning>(
                    RecurringJobId, p => p.RunAsync(CancellationToken.None), options.Value.PruneCron);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
