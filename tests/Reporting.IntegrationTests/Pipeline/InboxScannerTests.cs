using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Uploads;
using Reporting.Access;
using Reporting.Demo;
using Reporting.Pipeline;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Pipeline;

public sealed class InboxScannerTests
{
    [Fact]
    public async Task Inbox_files_are_submitted_like_uploads_moved_away_and_known_bytes_are_not_ingested_again()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var inbox = Directory.CreateTempSubdirectory("inbox-").FullName;
        using var app = TestApp.Build(db, b => b.AddJobServer(), ("Inbox:Folder", inbox), ("Inbox:MinAgeSeconds", "0"),
            ("Scheduling:SchedulePollingSeconds", "1"));
        await app.StartAsync();
        foreach (var (code, name) in SampleReturns.DemoProviders) await app.Services.GetRequiredService<ProviderKeys>()
            .EnsureAsync(code, name);
        var samples = Path.Combine(TestPaths.RepoRoot, "data", "samples");
        File.Copy(Path.Combine(samples, "KDZA-2025.xlsx"), Path.Combine(inbox, "KDZA-2025.xlsx"));
        File.Copy(Path.Combine(samples, "ITVB-2025.xlsx"), Path.Combine(inbox, "ITVB-2025.xlsx"));
        var scanner = app.Services.GetRequiredService<InboxScanner>();

        Assert.Equal(2, await scanner.ScanAsync(default));
        File.Copy(Path.Combine(samples, "KDZA-2025.xlsx"), Path.Combine(inbox, "KDZA-2025 (Kopie).xlsx"));
        Assert.Equal(1, await scanner.ScanAsync(default));

        Assert.Empty(Directory.GetFiles(inbox, "*.xlsx"));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(inbox, InboxScanner.DoneFolder)).Length);
        Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from uploads where uploaded_by = 'inbox'"));
        var until = DateTime.UtcNow.AddMinutes(2);
        while (await db.ScalarAsync<int>("select count(*) from return_versions where status = 'received'") > 0
            && DateTime.UtcNow < until) await Task.Delay(200);
        Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from current_versions where period = '2025'"));
        // The recurring scan is registered because a folder is configured.
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == InboxScanner.RecurringJobId);
        await app.StopAsync();
        Directory.Delete(inbox, true);
    }
}
