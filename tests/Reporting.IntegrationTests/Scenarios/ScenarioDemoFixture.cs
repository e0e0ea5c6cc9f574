using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Demo;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Scenarios;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scenarios;

/// <summary>
/// The demo region as <c>demo</c> loads it (reference, the six sample returns ingested through Hangfire, the 2025
/// snapshot), built once for the scenario tests; each test reads it and must leave it as it found it.
/// </summary>
public sealed class ScenarioDemoFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;
    public IHost App { get; private set; } = null!;
    public ScenarioEngine Engine => App.Services.GetRequiredService<ScenarioEngine>();

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(Db.DataSource, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        using (var ingest = TestApp.Build(Db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"),
            ("Logging:LogLevel:Default", "Warning")))
        {
            await ingest.StartAsync();
            try
            {
                var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "samples"), "*.xlsx");
                await ingest.Services.GetRequiredService<SampleReturns>()
                    .SubmitAndWaitAsync(files, TimeSpan.FromMinutes(5), default);
                await ingest.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
            }
            finally { await ingest.StopAsync(); }
        }
        App = TestApp.Build(Db, settings: ("Logging:LogLevel:Default", "Warning"));
    }

    public async Task DisposeAsync()
    {
        App.Dispose();
        await Db.DisposeAsync();
    }

    public async Task<ScenarioResult> RunAsync(string json, KpiScope? scope = null, decimal? remanent = null)
    {
        var outcome = await Engine.RunAsync(json, scope ?? KpiScope.Nrw, remanent);
        return outcome.Result ?? throw new Xunit.Sdk.XunitException(string.Join("\n", outcome.Problems));
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = Db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
