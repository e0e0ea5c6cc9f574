using Reporting.Kpis;
using Cronos;
using Reporting.Scheduling;

namespace Reporting.Tests.Scheduling;

public sealed class JobFileTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("jobs-test-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string RepoJobs => Path.Combine(AppPaths.FindContentRoot(), "jobs");

    [Fact]
    public void The_committed_example_files_are_valid()
    {
        var (jobs, problems) = JobFileLoader.ReadFiles(RepoJobs);

        Assert.Empty(problems);
        Assert.Contains(jobs, j => j.Kind == JobKinds.DeadlineCheck);
        Assert.Contains(jobs, j => j.Kind == JobKinds.Subscription && j.Scope == "nrw" && j.Trigger == "schedule"
            && j.Recipients.Any(r => r.Address == "vorstand@example.org"));
        Assert.All(jobs, j => Assert.Equal("Europe/Berlin", j.TimeZone));
    }

    [Fact]
    public void The_shipped_jobs_name_no_district_region_or_provider_so_they_hold_on_any_reference()
    {
        var (jobs, _) = JobFileLoader.ReadFiles(RepoJobs);

        Assert.All(jobs.Where(j => j.Kind == JobKinds.Subscription), j => Assert.Equal(KpiScope.Nrw, j.ParsedScope));
    }

    [Fact]
    public void The_demo_regions_own_subscription_comes_with_the_demo_data()
    {
        var (jobs,
            problems) = JobFileLoader.ReadFiles(Path.Combine(AppPaths.FindContentRoot(), "data", "demo", "jobs"));

        Assert.Empty(problems);
        Assert.Contains(jobs, j => j.Kind == JobKinds.Subscription && j.ParsedScope == KpiScope.District("05870")
            && j.Trigger == "new-data");
    }

    [Theory]
    [InlineData("""{"id":"x","kind":"backup","cron":"0 7 * * *"}""", "unknown job kind 'backup'")]
    [InlineData("""{"id":"x","kind":"deadline-check","cron":"0 25 * * *"}""", "bad cron '0 25 * * *'")]
    [InlineData("""{"id":"x","kind":"deadline-check","cron":""}""", "bad cron ''")]
    [InlineData("""{"id":"x","kind":"deadline-check","cron":"0 7 * * *","timeZone":"Europe/Bochum"}""",
        "unknown time zone 'Europe/Bochum'")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"kreis=05870",
         "recipients":[{"name":"A","address":"a@example.org"}]}
        """, "scope 'kreis=05870' is not one of")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"district=5870",
         "recipients":[{"name":"A","address":"a@example.org"}]}
        """, "scope 'district=5870': a district key has 5 digits")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"A","address":"vorstand at example.org"}]}
        """, "bad address 'vorstand at example.org'")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"A","address":"a@example.org\r\nBcc: evil@example.org"}]}
        """, "bad address")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw","period":"letztes-jahr",
         "recipients":[{"name":"A","address":"a@example.org"}]}
        """, "unknown period rule 'letztes-jahr'")]
    [InlineData("""
        {"id":"x","kind":"subscription","report":"kennzahlen","scope":"nrw","trigger":"new-data","minCompleteness":1.5,
         "recipients":[{"name":"A","address":"a@example.org"}]}
        """, "minCompleteness 1.5")]
    [InlineData("""{"id":"x", "kind": """, "not valid JSON")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"Vorstand\r\nBcc: evil@example.org","address":"a@example.org"}]}
        """, "the name of recipient 'Vorstand Bcc: evil@example.org' contains a control or line-break character "
        + "(U+000D)")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"Vorstand\u2028Zweckverband","address":"a@example.org"}]}
        """, "contains a control or line-break character (U+2028)")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"A","salutation":"Sehr geehrte\u0085Frau","address":"a@example.org"}]}
        """, "the salutation of recipient 'A' contains a control or line-break character (U+0085)")]
    [InlineData("""
        {"id":"x","kind":"subscription","cron":"0 7 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"A","address":"a\u202E@example.org"}]}
        """, "bad address 'a\u202E@example.org' for recipient 'A': it contains a control or line-break character "
        + "(U+202E)")]
    public void A_bad_file_is_reported_with_its_name_and_the_problem(string json, string expected)
    {
        File.WriteAllText(Path.Combine(dir, "kaputt.json"), json);

        var (jobs, problems) = JobFileLoader.ReadFiles(dir);

        Assert.Empty(jobs);
        var problem = Assert.Single(problems);
        Assert.StartsWith("kaputt.json: ", problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void A_new_data_subscription_needs_no_cron_and_is_not_a_recurring_job()
    {
        File.WriteAllText(Path.Combine(dir, "a.json"), """
            {"id":"a","kind":"subscription","report":"kennzahlen","scope":"region=058","trigger":"new-data",
             "recipients":[{"name":"A","address":"a@example.org"}]}
            """);

        var (jobs, problems) = JobFileLoader.ReadFiles(dir);

        Assert.Empty(problems);
        Assert.False(Assert.Single(jobs).IsRecurring);
    }

    [Fact]
    public void Two_files_with_the_same_id_are_refused()
    {
        File.WriteAllText(Path.Combine(dir, "a.json"), """{"id":"same","kind":"deadline-check","cron":"0 7 * * *"}""");
        File.WriteAllText(Path.Combine(dir, "b.json"), """{"id":"same","kind":"deadline-check","cron":"0 8 * * *"}""");

        var (_, problems) = JobFileLoader.ReadFiles(dir);

        Assert.Contains(problems, p => p.Contains("a.json, b.json") && p.Contains("'same'"));
    }

    // Hangfire computes recurring occurrences with Cronos in RecurringJobOptions.TimeZone; these are those occurrences.
    [Theory]
    [InlineData("30 2 * * *", 2026, 3, 27, 2026, 4, 1)]    // 29.03.2026: 02:00 -> 03:00, 02:30 does not exist
    [InlineData("30 2 * * *", 2026, 10, 23, 2026, 10, 28)] // 25.10.2026: 03:00 -> 02:00, 02:30 happens twice
    [InlineData("0 7 * * *", 2026, 3, 27, 2026, 4, 1)]
    [InlineData("0 7 * * *", 2026, 10, 23, 2026, 10, 28)]
    public void Daylight_saving_neither_skips_nor_doubles_a_daily_send(string cron, int y1, int m1, int d1, int y2,
        int m2, int d2)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var from = new DateTimeOffset(y1, m1, d1, 0, 0, 0, berlin.GetUtcOffset(new DateTime(y1, m1, d1)));
        var to = new DateTimeOffset(y2, m2, d2, 0, 0, 0, berlin.GetUtcOffset(new DateTime(y2, m2, d2)));

        var occurrences = CronExpression.Parse(cron).GetOccurrences(from, to, berlin).ToList();

        var days = occurrences.Select(o
            => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(o, berlin).DateTime)).ToList();
        Assert.Equal((to.Date - from.Date).Days, days.Count);                 // one per day
        Assert.Equal(days.Count, days.Distinct().Count());                  // none doubled
        Assert.Equal(days.Count, occurrences.Select(o => o.UtcDateTime).Distinct().Count());
    }

    [Fact]
    public void The_monthly_board_subscription_runs_once_in_a_month_with_a_clock_change()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var cron = CronExpression.Parse("0 8 1 * *");

        var runs = cron.GetOccurrences(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), berlin).ToList();

        Assert.Equal(12, runs.Count);
        Assert.All(runs, r => Assert.Equal(8, TimeZoneInfo.ConvertTimeFromUtc(r, berlin).Hour));
    }
}
