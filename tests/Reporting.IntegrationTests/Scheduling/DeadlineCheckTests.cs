using Reporting.IntegrationTests.Support;
using Reporting.Scheduling.Deadlines;

namespace Reporting.IntegrationTests.Scheduling;

public sealed class DeadlineCheckTests : IAsyncLifetime
{
    TestDatabase db = null!;
    IHost host = null!;
    DeadlineCheck check = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        host = TestApp.Build(db, null, ("Paths:Jobs", "does-not-exist"), ("Deadlines:ReminderWorkingDays", "5"),
            ("Deadlines:AdminRecipients:0:Name", "Geschäftsstelle"),
                ("Deadlines:AdminRecipients:0:Address", "gs@example.org"),
            ("Smtp:PickupDirectory", Path.Combine(Path.GetTempPath(), "unused-pickup")),
                ("Logging:LogLevel:Default", "Warning"));
        check = host.Services.GetRequiredService<DeadlineCheck>();
        // Deadline on Easter Monday 2026: it moves to Tuesday 07.04.; 5 working days before is Friday 27.03.
        await Exec("""
            insert into periods (period, starts_on, ends_on, deadline)
              values ('2025', '2025-01-01', '2025-12-31', '2026-04-06');
            insert into periods (period, starts_on, ends_on, deadline, closed)
              values ('2024', '2024-01-01', '2024-12-31', '2025-03-31', true);
            insert into providers (code, name, email) values ('ABC', 'Abgegeben GmbH', 'abc@example.org'),
              ('KDL', 'KDN Lindenau', 'meldung@kdl.example.org'), ('OHN', 'Ohne Adresse AöR', null),
              ('REJ', 'Abgelehnt eG', 'rej@example.org');
            insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by) values
              ('\x01', 'abc.xlsx', 1, '\x00', 'ABC', 'test'), ('\x02', 'rej.xlsx', 1, '\x00', 'REJ', 'test');
            insert into returns (provider_code, period) values ('ABC', '2025'), ('REJ', '2025');
            insert into return_versions (return_id, provider_code, period, upload_id, version, status, submitted_by)
              select r.id, r.provider_code, r.period, u.id, 1, case r.provider_code when 'ABC' then 'accepted' else
                'rejected' end, 'test'
              from returns r join uploads u on u.provider_code = r.provider_code;
            """);
    }

    public async Task DisposeAsync()
    {
        host.Dispose();
        await db.DisposeAsync();
    }

    async Task Exec(string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    Task<string> Mails()
        => db.ScalarAsync<string>(
            "select coalesce(string_agg(kind || ':' || recipient_address, ' ' order by kind, recipient_address), '') "
                + "from deliveries");

    [Fact]
    public async Task Nothing_is_sent_before_the_reminder_day()
    {
        await check.RunAsync(new DateOnly(2026, 3, 26));
        Assert.Equal("", await Mails());
    }

    [Fact]
    public async Task Providers_without_a_submitted_return_are_reminded_once_from_five_working_days_before()
    {
        var first = await check.RunAsync(new DateOnly(2026, 3, 27));
        await check.RunAsync(new DateOnly(2026, 3, 30));
        await check.RunAsync(new DateOnly(2026, 4, 7));   // the effective deadline: not late yet

        // ABC submitted (accepted); REJ was rejected, so it still owes a return; OHN has no address.
        Assert.Equal("reminder:meldung@kdl.example.org reminder:rej@example.org", await Mails());
        Assert.Equal(["OHN"], first.MissingAddresses);
        var subject = await db.ScalarAsync<string>(
            "select subject from deliveries where recipient_address = 'meldung@kdl.example.org'");
        Assert.Equal("Erinnerung: Meldung 2025 bis 07.04.2026 – KDN Lindenau", subject);
    }

    [Fact]
    public async Task After_the_deadline_late_providers_get_a_notice_and_admins_the_list()
    {
        await check.RunAsync(new DateOnly(2026, 4, 8));
        await check.RunAsync(new DateOnly(2026, 4, 8));   // a retry or a second run the same day

        Assert.Equal("late-list:gs@example.org late-notice:meldung@kdl.example.org late-notice:rej@example.org",
            await Mails());
        var mime = await db.ScalarAsync<string>(
            "select convert_from(mime, 'UTF8') from deliveries where kind = 'late-list'");
        Assert.Contains("Ohne Adresse", mime);
        Assert.Contains("KDN Lindenau (KDL)", mime);
        Assert.DoesNotContain("Abgegeben GmbH", mime);

        await check.RunAsync(new DateOnly(2026, 4,
            9));   // the admins get the list again the next day, providers no second notice
        Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from deliveries where kind = 'late-list'"));
        Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from deliveries where kind = 'late-notice'"));
    }

    [Fact]
    public async Task A_closed_period_is_left_alone()
    {
        await Exec("update periods set closed = true where period = '2025'");
        await check.RunAsync(new DateOnly(2026, 4, 8));
        Assert.Equal("", await Mails());
    }
}
