using Hangfire;
using Hangfire.States;
using Reporting.Delivery;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Web;

/// <summary>
/// Data for the admin pages: a period past its deadline (2024) and one far ahead (2099), five providers in every
/// ledger state, deliveries waiting and uncertain, a failed job and a recurring one.
/// </summary>
static class AdminSeed
{
    /// <summary>Provider code -> what it did for 2024 (deadline 31.03.2025).</summary>
    public static readonly (string Code, string Name, string? Status, string? DecidedAt)[] Providers =
    [
        ("AAAA", "Anbieter Ahorn", "accepted", "2025-02-01"),      // accepted in time
        ("BBBB", "Anbieter Birke", "accepted", "2025-06-01"),      // accepted after the deadline
        ("CCCC", "Anbieter Chaussee", "rejected", "2025-02-01"),   // only a rejected return
        ("DDDD", "Anbieter Dorf", "received", null),               // still being checked
        ("EEEE", "Anbieter Erle", null, null),                     // nothing
    ];

    public static async Task LedgerAsync(TestDatabase db)
    {
        await db.ScalarAsync<int>("""
            insert into periods (period, starts_on, ends_on, deadline, closed) values
              ('2024', '2024-01-01', '2024-12-31', '2025-03-31', false),
              ('2099', '2099-01-01', '2099-12-31', '2100-03-31', false);
            select 1
            """);
        foreach (var (code, name, status, decided) in Providers)
        {
            await db.ScalarAsync<int>($"insert into providers (code, name) values ('{code}', '{name}'); select 1");
            if (status is null) continue;
            await db.ScalarAsync<long>($"""
                with u as (insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
                           values (decode(md5('{code}') || md5('{code}x'), 'hex'), '{code}.xlsx', 1, '\x00',
                                   '{code}', 'test') returning id),
                     r as (insert into returns (provider_code, period) values ('{code}', '2024') returning id)
                insert into return_versions (return_id, provider_code, period, upload_id, version, status,
                                             submitted_by, submitted_at, decided_at)
                select r.id, '{code}', '2024', u.id, {(status == "accepted" ? "1" : "null")}, '{status}', 'test',
                       timestamptz '2025-01-15 10:00+01',
                       {(decided is null ? "null" : $"timestamptz '{decided} 14:30+01'")}
                from u, r returning id
                """);
        }
    }

    /// <summary>A reminder waiting to be sent and one whose sending was cut off (uncertain).</summary>
    public static async Task<(long Pending, long Uncertain)> DeliveriesAsync(WebTestHost web, TestDatabase db)
    {
        var deliveries = web.Services.GetRequiredService<DeliveryService>();
        var pending = await deliveries.QueueAsync(new DeliveryContext("reminder", "admin-seed:1"),
            deliveries.Composer.Reminder("Anbieter Dorf", "2024", new DateOnly(2025, 3, 31),
                new MailRecipient("Frau Dorf", "dorf@anbieter.example.org")));
        var uncertain = await deliveries.QueueAsync(new DeliveryContext("reminder", "admin-seed:2"),
            deliveries.Composer.Reminder("Anbieter Erle", "2024", new DateOnly(2025, 3, 31),
                new MailRecipient("Herr Erle", "erle@anbieter.example.org")));
        await db.ScalarAsync<int>($"update deliveries set status = 'uncertain', tries = 1 where id = {uncertain}; "
            + "select 1");
        return (pending, uncertain);
    }

    /// <summary>A job created failed, and a recurring job (never run).</summary>
    public static string Jobs(WebTestHost web)
    {
        var client = web.Services.GetRequiredService<IBackgroundJobClient>();
        var failed = client.Create<ProbeJobs>(j => j.Record("failed", 0, null, CancellationToken.None),
            new FailedState(new InvalidOperationException("seeded failure")));
        web.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ProbeJobs>("test-probe",
            j => j.Record("recurring", 0, null, CancellationToken.None), "0 6 * * *");
        return failed;
    }
}
