using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Ingestion;
using Reporting.Scheduling.Deadlines;
using Reporting.Uploads;

namespace Reporting.Web;

/// <summary>One reporting period as a provider sees it: the deadline (moved to the next NRW working day) and where
/// its return stands.</summary>
/// <param name="State">missing, received, accepted, rejected or late (deadline passed without an accepted return).
/// </param>
/// <param name="Detail">A German half-sentence that explains the state, or empty.</param>
/// <param name="VersionId">The version the state refers to (accepted, else the latest), if any.</param>
public sealed record PortalPeriod(string Period, DateOnly Deadline, string State, string Detail, long? VersionId);

/// <summary>One upload of the provider, newest first.</summary>
public sealed record PortalReturn(long Id, string? Period, int? Version, string FileName, DateTimeOffset SubmittedAt,
    string Status);

/// <summary>What the portal's pages read: the provider's name, its open periods and its uploads (own rows only).
/// </summary>
public sealed class PortalData(NpgsqlDataSource db, IOptions<IngestionOptions> ingestion)
{
    public async Task<string> ProviderNameAsync(string code, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select name from providers where code = $1");
        cmd.Parameters.Add(new() { Value = code });
        return await cmd.ExecuteScalarAsync(ct) as string ?? code;
    }

    /// <summary>
    /// Periods not closed, and always the last calendar year (due by default even before anyone has reported it).
    /// </summary>
    public async Task<IReadOnlyList<PortalPeriod>> OpenPeriodsAsync(string code, DateOnly today, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select pe.period, pe.deadline, a.id, a.decided_at, l.id, l.status
            from periods pe
            left join lateral (
              select id, decided_at from return_versions
              where provider_code = $1 and period = pe.period and status = 'accepted'
              order by id desc limit 1) a on true
            left join lateral (
              select id, status from return_versions
              where provider_code = $1 and period = pe.period order by id desc limit 1) l on true
            where not pe.closed
            order by pe.deadline desc, pe.period desc
            """);
        cmd.Parameters.Add(new() { Value = code });
        var periods = new List<PortalPeriod>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                periods.Add(Judge(r.GetString(0), r.GetFieldValue<DateOnly>(1), today,
                    r.IsDBNull(2) ? null : r.GetInt64(2),
                    r.IsDBNull(3) ? null : HtmlPage.BerlinDate(r.GetFieldValue<DateTimeOffset>(3)),
                    r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5)));
        var lastYear = (today.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (periods.All(p => p.Period != lastYear))
            periods.Insert(0, Judge(lastYear, Periods.Deadline(lastYear, ingestion.Value.DeadlineMonthsAfterPeriodEnd),
                today, null, null, null, null));
        return periods;
    }

    /// <summary>Where a period stands; an accepted return wins, then the deadline, then the latest upload.</summary>
    public static PortalPeriod Judge(string period, DateOnly deadline, DateOnly today, long? acceptedId,
        DateOnly? acceptedOn, long? latestId, string? latestStatus)
    {
        var due = WorkingDays.EffectiveDeadline(deadline);
        if (acceptedId is { } accepted)
            return new(period, due, ReturnStates.Accepted,
                acceptedOn > due ? "nach der Frist angenommen" : "", accepted);
        if (today > due)
            return new(period, due, PeriodStates.Late, latestStatus switch
            {
                ReturnStates.Rejected => "Frist verstrichen, die letzte Meldung wurde abgelehnt",
                ReturnStates.Received => "Frist verstrichen, die letzte Meldung wird noch geprüft",
                _ => "Frist verstrichen, noch keine Meldung",
            }, latestId);
        return latestStatus switch
        {
            ReturnStates.Received => new(period, due, ReturnStates.Received, "wird geprüft", latestId),
            ReturnStates.Rejected => new(period, due, ReturnStates.Rejected,
                "bitte korrigieren und erneut hochladen", latestId),
            _ => new(period, due, PeriodStates.Missing, "noch keine Meldung", null),
        };
    }

    /// <summary>The provider's uploads, newest first (at most 200).</summary>
    public async Task<IReadOnlyList<PortalReturn>> ReturnsAsync(string code, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select rv.id, rv.period, rv.version, u.file_name, rv.submitted_at, rv.status
            from return_versions rv join uploads u on u.id = rv.upload_id
            where coalesce(rv.provider_code, u.provider_code) = $1 order by rv.id desc limit 200
            """);
        cmd.Parameters.Add(new() { Value = code });
        var rows = new List<PortalReturn>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add(new(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2),
                r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetString(5)));
        return rows;
    }
}
