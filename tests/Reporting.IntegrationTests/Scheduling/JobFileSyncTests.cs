using Reporting.Kpis;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Reports;

namespace Reporting.IntegrationTests.Scheduling;

public sealed class JobFileSyncTests : IAsyncLifetime
{
    TestDatabase db = null!;
    IHost host = null!;
    readonly string jobs = Directory.CreateTempSubdirectory("sync-jobs-").FullName;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        host = TestApp.Build(db, null, ("Paths:Jobs", jobs), ("Logging:LogLevel:Default", "Warning"));
    }

    public async Task DisposeAsync()
    {
        host.Dispose();
        await db.DisposeAsync();
        Directory.Delete(jobs, recursive: true);
    }

    void Write(string file, string json) => File.WriteAllText(Path.Combine(jobs, file), json);

    List<RecurringJobDto> Recurring()
    {
        using var c = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return c.GetRecurringJobs();
    }

    const string Deadline =
        """{"id":"deadline-check","kind":"deadline-check","cron":"0 7 * * 1-5","timeZone":"Europe/Berlin"}""";
    const string Board = """
        {"id":"vorstand","kind":"subscription","cron":"0 8 1 * *","report":"kennzahlen","scope":"nrw",
         "recipients":[{"name":"Vorstand","address":"vorstand@example.org"}]}
        """;
    const string OnNewData = """
        {"id":"lindenau","kind":"subscription","trigger":"new-data","report":"kennzahlen","scope":"district=05870",
         "recipients":[{"name":"Landrätin","address":"landraetin@example.org"}]}
        """;

    [Fact]
    public async Task Files_are_added_updated_and_removed_while_other_recurring_jobs_stay()
    {
        var sync = host.Services.GetRequiredService<JobFileSync>();
        host.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ProbeJobs>("manual-probe", j
            => j.Record("manual", 0, null, CancellationToken.None), "0 3 * * *");
        Write("deadline.json", Deadline);
        Write("board.json", Board);
        Write("lindenau.json", OnNewData);

        await sync.SyncAsync();
        var all = Recurring();
        Assert.Equal(["file:deadline-check", "file:vorstand", "manual-probe"], all.Select(r => r.Id).Order());
        var deadline = all.Single(r => r.Id == "file:deadline-check");
        Assert.Equal("0 7 * * 1-5", deadline.Cron);
        Assert.Equal("Europe/Berlin", deadline.TimeZoneId);
        Assert.Equal("default", deadline.Job.Queue);   // Hangfire 1.8 keeps the queue in the job itself
        Assert.Equal("render", all.Single(r => r.Id == "file:vorstand").Job.Queue);

        // Updated: the new cron is in effect after the next sync.
        Write("deadline.json", Deadline.Replace("0 7 * * 1-5", "30 6 * * 1-5"));
        await sync.SyncAsync();
        Assert.Equal("30 6 * * 1-5", Recurring().Single(r => r.Id == "file:deadline-check").Cron);

        // Removed: file gone, or disabled.
        File.Delete(Path.Combine(jobs, "board.json"));
        Write("deadline.json", Deadline.Replace("\"timeZone\"", "\"enabled\":false,\"timeZone\""));
        var result = await sync.SyncAsync();
        Assert.Equal(["file:deadline-check", "file:vorstand"], result.Removed.Order());
        Assert.Equal(["manual-probe"], Recurring().Select(r => r.Id));
    }

    [Fact]
    public async Task A_bad_file_disables_only_its_own_job_and_is_reported_with_its_name()
    {
        var sync = host.Services.GetRequiredService<JobFileSync>();
        Write("deadline.json", Deadline);
        Write("kaputt.json", """{"id":"kaputt","kind":"deadline-check","cron":"jeden Morgen"}""");
        await sync.SyncAsync();
        Assert.Equal(["file:deadline-check"], Recurring().Select(r => r.Id));

        // A job that ran before is removed once its file turns bad; the others stay.
        Write("board.json", Board);
        await sync.SyncAsync();
        Write("board.json", Board.Replace("0 8 1 * *", "0 8 32 * *"));
        var result = await sync.SyncAsync();

        Assert.Equal(["file:deadline-check"], Recurring().Select(r => r.Id));
        Assert.Equal(["board.json", "kaputt.json"], result.Problems.Select(p => p.File).Order());
        Assert.Contains("bad cron 'jeden Morgen'", result.Problems.Single(p => p.File == "kaputt.json").Reason);
        Assert.Equal(result.Problems, sync.LastProblems);
    }

    [Fact]
    public async Task Scope_keys_are_checked_against_the_imported_reference_data()
    {
        var loader = host.Services.GetRequiredService<JobFileLoader>();
        Write("lindenau.json", OnNewData);
        Write("nirgendwo.json", OnNewData.Replace("lindenau", "nirgendwo").Replace("05870", "05999"));
        Write("bezirk.json", OnNewData.Replace("lindenau", "bezirk").Replace("district=05870", "region=051"));

        // A fresh database has no districts yet: only the syntax is checked.
        Assert.Equal(3, (await loader.LoadAsync()).Count);

        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var scan = await loader.ScanAsync();

        Assert.Equal(["lindenau"], scan.Jobs.Select(j => j.Id));
        Assert.Contains(new JobFileProblem("nirgendwo.json", "unknown district key '05999' (not in table districts)"),
            scan.Problems);
        Assert.Contains(new JobFileProblem("bezirk.json", "unknown region key '051' (not in table regions)"),
            scan.Problems);   // Demoland is 058
        var e = await Assert.ThrowsAsync<JobFileException>(() => loader.GetAsync("nirgendwo"));
        Assert.Contains("nirgendwo.json: unknown district key '05999'", e.Message);
    }

    [Fact]
    public async Task The_committed_jobs_folder_is_valid_against_the_demo_region()
    {
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        using var repoHost = TestApp.Build(db, null, ("Paths:Jobs", Path.Combine(TestPaths.RepoRoot, "jobs")),
            ("Logging:LogLevel:Default", "Warning"));
        var loader = repoHost.Services.GetRequiredService<JobFileLoader>();
        loader.Include(Path.Combine(TestPaths.RepoRoot, "data", "demo", "jobs"));   // as the demo does

        var result = await repoHost.Services.GetRequiredService<JobFileSync>().SyncAsync();

        Assert.Empty(result.Problems);
        Assert.Contains("file:deadline-check", result.AddedOrUpdated);
        Assert.Contains(result.Definitions, d => d.Scope == "district=05870");
    }

    [SharedReferenceFact]
    public async Task The_committed_jobs_folder_is_valid_against_the_real_NRW_reference()
    {
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.SharedReference, new DateOnly(2019, 12, 31));
        using var repoHost = TestApp.Build(db, null, ("Paths:Jobs", Path.Combine(TestPaths.RepoRoot, "jobs")),
            ("Logging:LogLevel:Default", "Warning"));

        var result = await repoHost.Services.GetRequiredService<JobFileSync>().SyncAsync();

        Assert.Empty(result.Problems);
        Assert.Equal(["file:deadline-check", "file:vorstand-nrw-monatlich"], result.AddedOrUpdated.Order());
    }
}

public sealed class ScopeLabelTests
{
    [Fact]
    public async Task Scopes_are_named_as_a_reader_expects()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));

        Assert.Equal("NRW", await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("nrw")));
        Assert.Equal("Kreis Lindenau", await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("district=05870")));
        Assert.Equal("Stadt Auenburg", await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("district=05811")));
        Assert.Equal("Regierungsbezirk Demoland",
            await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("region=058")));
        Assert.Equal("district=05999", await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("district=05999")));
    }

    [Fact]
    public async Task A_district_whose_name_already_says_Kreis_or_Staedteregion_is_not_called_Kreis_twice()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        // As NRW's reference lists them: kind "Kreis" for both.
        await using (var cmd = db.DataSource.CreateCommand("""
            insert into districts (key, name, kind, region_key) values
              ('05162', 'Rhein-Kreis Neuss', 'Kreis', '058'), ('05334', 'Städteregion Aachen', 'Kreis', '058')
            """))
            await cmd.ExecuteNonQueryAsync();

        Assert.Equal("Rhein-Kreis Neuss",
            await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("district=05162")));
        Assert.Equal("Städteregion Aachen",
            await ScopeLabels.ResolveAsync(db.DataSource, KpiScope.Parse("district=05334")));
    }
}
