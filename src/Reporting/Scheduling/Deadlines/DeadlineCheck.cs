using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Delivery;

namespace Reporting.Scheduling.Deadlines;

/// <summary>
/// The "deadline-check" job: for every open period, providers without a submitted return get a reminder from
/// N working days before the deadline and a notice once it has passed; admins get the list of late returns.
/// Every mail has a dedupe key (period, provider; the late list also the day), so running it twice a day or
/// retrying it sends nothing twice.
/// </summary>
public sealed class DeadlineCheck(NpgsqlDataSource db, DeliveryService deliveries, IOptions<DeadlinesOptions> options,
    ILogger<DeadlineCheck> logger)
{
    public sealed record Outcome(int Reminders, int LateNotices, int LateLists, IReadOnlyList<string> MissingAddresses);

    public DateOnly Today()
    {
        var zone = JobFileLoader.TryTimeZone(options.Value.TimeZone) ?? TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
    }

    public async Task<Outcome> RunAsync(DateOnly today, CancellationToken ct = default)
    {
        int reminders = 0, notices = 0, lists = 0;
        var noAddress = new List<string>();
        foreach (var (period, deadline) in await OpenPeriodsAsync(ct))
        {
            var effective = WorkingDays.EffectiveDeadline(deadline);
            var remindFrom = WorkingDays.Before(effective, options.Value.ReminderWorkingDays);
            if (today < remindFrom) continue;
            var missing = await MissingAsync(period, ct);
            if (missing.Count == 0) continue;
            var late = today > effective;
            foreach (var p in missing)
            {
                if (p.Email is null || !MailComposer.IsValidAddress(p.Email)) { noAddress.Add(p.Code); continue; }
                var to = new MailRecipient(p.Name, p.Email);
                if (late)
                {
                    await deliveries.QueueAsync(new DeliveryContext("late-notice",
                        $"late:{period}:{p.Code}") { Period = period },
                        deliveries.Composer.LateNotice(p.Name, period, effective, to), ct: ct);
                    notices++;
                }
                else
                {
                    await deliveries.QueueAsync(new DeliveryContext("reminder",
                        $"reminder:{period}:{p.Code}") { Period = period },
                        deliveries.Composer.Reminder(p.Name, period, effective, to), ct: ct);
                    reminders++;
                }
            }
            if (late)
                foreach (var admin in options.Value.AdminRecipients)
                {
                    await deliveries.QueueAsync(new DeliveryContext("late-list",
                            $"late-list:{period}:{today:yyyy-MM-dd}:{admin.Address.Trim().ToLowerInvariant()}")
                        { Period = period },
                        deliveries.Composer.LateList(period, effective, missing.Select(m => (m.Code, m.Name)).ToList(),
                            admin), ct: ct);
                    lists++;
                }
        }
        if (noAddress.Count > 0) logger.LogWarning("deadline-check: no valid mail address for provider(s) {Codes}",
            string.Join(", ", noAddress.Distinct()));
        return new Outcome(reminders, notices, lists, noAddress.Distinct().ToList());
    }

    async Task<List<(string Period, DateOnly Deadline)>> OpenPeriodsAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "select period, deadline from periods where not closed order by deadline, period");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, DateOnly)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetFieldValue<DateOnly>(1)));
        return list;
    }

    /// <summary>Providers with no return for the period that was accepted or is still being checked.</summary>
    async Task<List<(string Code, string Name, string? Email)>> MissingAsync(string period, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select p.code, p.name, p.email from providers p
            where not exists (
              select 1 from return_versions rv
              where rv.provider_code = p.code and rv.period = $1
                and rv.status in ('received', 'accepted', 'superseded'))
            order by p.code
            """);
        cmd.Parameters.Add(new() { Value = period });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, string, string?)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));
        return list;
    }
}
