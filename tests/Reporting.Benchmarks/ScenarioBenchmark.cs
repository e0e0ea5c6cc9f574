using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Benchmarks.Ingestion;
using Reporting.Database;
using Reporting.Demo;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Scenarios;
using Reporting.Scheduling;

namespace Reporting.Benchmarks;

/// <summary>
/// A consolidation scenario on the real NRW data as <c>demo --reference ../shared/reference</c> loads it (396
/// municipalities, the published providers, one generated 2025 return each, ingested through Hangfire): the merger of
/// the two largest providers by workstations. Set-up (import, ingest, the baseline snapshot) is not measured; each
/// run validates, applies the merger in a rolled-back transaction and computes both estimates. Skipped without
/// ../shared/reference.
/// </summary>
public sealed class ScenarioBenchmark : Scenario
{
    public override string Name => "scenario";
    public override string Description => "merger of the two largest providers on the real NRW data (issue 17: < 2 s)";

    BenchDatabase? bench;
    string? json;
    IHost? app;

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        var reference = Path.GetFullPath(Path.Combine(AppPaths.FindContentRoot(), "..", "shared", "reference"));
        if (!Directory.Exists(reference))
            throw new Ingestion.SkipScenario($"{reference} is absent");
        bench = await BenchDatabase.CreateEmptyAsync("scenario");
        var connection = bench.ConnectionString;
        await new ReferenceImporter(bench.Db, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(reference, new DateOnly(2019, 12, 31));

        var returns = Directory.CreateDirectory(Path.Combine(context.WorkDir, "scenario-returns")).FullName;
        var files = ReferenceReturns.Write(reference, returns);
        using (var ingest = ReportingHost.CreateBuilder(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Reporting"] = connection,
                ["Paths:Jobs"] = Path.Combine(Path.GetTempPath(), "reporting-bench-no-jobs"),
                ["Scheduling:SchedulePollingSeconds"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            b.AddJobServer();
        }).Build())
        {
            await ingest.StartAsync();
            await ingest.Services.GetRequiredService<SampleReturns>().SubmitAndWaitAsync(files,
                TimeSpan.FromMinutes(10), default, demoProviders: false);
            await ingest.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync(ReferenceReturns.Period);
            await ingest.StopAsync();
        }
        app = ReportingHost.CreateBuilder(b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Reporting"] = connection,
            ["Paths:Jobs"] = Path.Combine(Path.GetTempPath(), "reporting-bench-no-jobs"),
            ["Logging:LogLevel:Default"] = "Warning",
            // Each run's stages ("computed in ... ms (check, baseline, apply, ...)") on stderr.
            ["Logging:LogLevel:Reporting.Scenarios.ScenarioEngine"] = "Information",
        })).Build();

        var largest = new List<string>();
        await using (var cmd = bench.Db.CreateCommand("""
            select v.provider_code from supply_facts s join current_versions v on v.id = s.return_version_id
            where v.period = '2025' and s.service_code = 'ARB' group by 1 order by sum(s.workstations) desc limit 2
            """))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) largest.Add(r.GetString(0));
        json = $$"""
            {"name": "Fusion {{largest[0]}} und {{largest[1]}}", "period": "2025",
             "changes": [{"merge": ["{{largest[0]}}", "{{largest[1]}}"], "into": "{{largest[0]}}"}]}
            """;
        await using var count = bench.Db.CreateCommand("""
            select (select count(*) from current_versions where period = '2025'),
                   (select count(*) from supply_facts) + (select count(*) from cost_facts)
                     + (select count(*) from ozg_facts)
            """);
        await using var c = await count.ExecuteReaderAsync();
        await c.ReadAsync();
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.GetInt64(0)} returns, {c.GetInt64(1):N0} facts; {largest[0]} + {largest[1]}");
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("merger of the two largest providers", async () =>
        {
            var outcome = await app!.Services.GetRequiredService<ScenarioEngine>().RunAsync(json!, KpiScope.Nrw, null);
            if (outcome.Result is not { } r) return "FAILED: " + string.Join(" ", outcome.Problems);
            var total = r.Estimates[0].Find("total_cost", "nrw", "NRW")!;
            return string.Create(CultureInfo.InvariantCulture,
                $"NRW cost {total.DeltaRelative:P2} (low), {r.Estimates[0].Values.Count:N0} values");
        });
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        app?.Dispose();
        if (bench is not null) await bench.DisposeAsync();
    }
}
