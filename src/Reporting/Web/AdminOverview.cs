using Hangfire;
using Hangfire.Storage;
using Reporting.Access;
using Reporting.Delivery;
using Reporting.Ingestion;
using Reporting.Scheduling;

namespace Reporting.Web;

/// <summary>A recurring job's last run as the start page shows it (times in UTC).</summary>
public sealed record RecurringRun(string Id, string Cron, DateTime? LastExecution, string? LastState,
    string? LastJobId, DateTime? NextExecution, bool Broken);

/// <summary>A job that ran to the end: its id for the console's details page, what ran, when.</summary>
public sealed record SucceededRun(string Id, string What, DateTime? SucceededAt);

/// <summary>A failed job: its id for the console's details page, what ran, when, and the exception's type.</summary>
public sealed record FailedRun(string Id, string What, DateTime? FailedAt, string? ExceptionType);

/// <summary>
/// What the admin start page shows: what ran, what failed, which returns are overdue, which mails wait or are
/// uncertain, which job files were left out, how many admin sign-ins failed lately. Each list is short; each entry
/// links to where it is acted on.
/// </summary>
public sealed record AdminOverview(IReadOnlyList<RecurringRun> Recurring, long FailedCount,
    IReadOnlyList<FailedRun> Failed, IReadOnlyList<SucceededRun> Succeeded, IReadOnlyList<LedgerRow> Overdue,
    IReadOnlyList<DeliveryService.Delivery> Open,
    IReadOnlyList<JobFileProblem> JobFiles, AdminSignInFailures.Summary SignInFailures)
{
    public const int Shown = 10;

    public static async Task<AdminOverview> LoadAsync(JobStorage storage, SubmissionLedger ledger,
        DeliveryService deliveries, IReadOnlyList<JobFileProblem> jobFiles, AdminSignInFailures.Summary signInFailures,
        CancellationToken ct)
    {
        List<RecurringRun> recurring;
        using (var connection = storage.GetConnection())
            recurring = [.. connection.GetRecurringJobs().OrderBy(j => j.Id).Select(j => new RecurringRun(j.Id,
                j.Cron, j.LastExecution, j.LastJobState, j.LastJobId, j.NextExecution,
                j.LoadException is not null || j.Error is not null))];
        var monitoring = storage.GetMonitoringApi();
        var failed = monitoring.FailedJobs(0, Shown).Select(f => new FailedRun(f.Key,
            What(f.Value.Job), f.Value.FailedAt, f.Value.ExceptionType?.Split('.').Last())).ToList();
        var succeeded = monitoring.SucceededJobs(0, 5).Select(j => new SucceededRun(j.Key, What(j.Value.Job),
            j.Value.SucceededAt)).ToList();
        // Overdue: the deadline has passed and nothing is accepted (late acceptances are history, not work).
        var overdue = (await ledger.ListAsync(null, ct)).Where(r => r.Late && r.State != "accepted").ToList();
        var open = (await deliveries.RecentAsync(1000, ct)).Where(d => d.Status is "pending" or "uncertain")
            .ToList();
        return new AdminOverview(recurring, monitoring.FailedCount(), failed, succeeded, overdue, open, jobFiles,
            signInFailures);
    }

    static string What(Hangfire.Common.Job? job) => job is null ? "(unbekannt)" : $"{job.Type.Name}.{job.Method.Name}";
}
