using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Reporting.Ingestion;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// The chain as a provider waits for it: UploadIntake stores the upload and enqueues the ingest job, a Hangfire
/// server with the app's Scheduling settings (appsettings.json: long polling, 4 workers) picks it up, and the
/// verdict is stored. Measured until the version is decided (accepted or rejected), polled every 20 ms. One
/// provider's return alone (latency), then the returns of all NRW providers (31 in the published service areas) submitted at once (throughput).
/// The chain's later steps (KPI snapshot, render, mail) are not wired to an accepted return on this branch, so
/// the chain ends at the verdict here.
/// </summary>
public sealed class ChainScenario : Scenario
{
    public override string Name => "chain";
    public override string Description => "upload -> Hangfire ingest job -> verdict: one return (latency), every NRW provider's return at once (throughput)";
    public override int Repeats => 3;

    BenchDatabase? database;
    IHost? host;
    DemoReturnReference reference = null!;
    string[] providers = [];
    string workDir = "";
    int run;

    public override Task<string?> PrepareAsync(BenchmarkContext context)
    {
        if (!BenchReturns.HasRealReference) throw new SkipScenario($"the real NRW reference is absent ({BenchReturns.ReferenceDir})");
        return Task.FromResult<string?>(null);
    }

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        workDir = Directory.CreateDirectory(Path.Combine(context.WorkDir, "chain")).FullName;
        reference = DemoReturnReference.FromCsv(BenchReturns.ReferenceDir);
        providers = reference.Providers.Select(p => p.Code).ToArray();
        database = await BenchDatabase.CreateAsync("chain", synthetic: false);
        await using (var cmd = database.Db.CreateCommand("insert into providers (code, name) select unnest($1::text[]), unnest($2::text[]) on conflict do nothing"))
        {
            cmd.Parameters.Add(new() { Value = providers });
            cmd.Parameters.Add(new() { Value = reference.Providers.Select(p => p.Name).ToArray() });
            await cmd.ExecuteNonQueryAsync();
        }
        var connection = new NpgsqlConnectionStringBuilder(database.Db.ConnectionString).ConnectionString;
        var builder = ReportingHost.CreateBuilder(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Reporting"] = connection,
                ["Paths:Jobs"] = Directory.CreateDirectory(Path.Combine(workDir, "no-jobs")).FullName,
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        builder.AddJobServer();
        host = builder.Build();
        await host.StartAsync();
        var rows = reference.Providers.Sum(p => p.Municipalities.Count) * reference.Catalog.OzgServices.Count;
        return string.Create(CultureInfo.InvariantCulture, $"{providers.Length} providers' returns, {rows:N0} OZG rows in all (real NRW)");
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("one return: upload -> verdict (latency)", async () =>
        {
            var largest = reference.Providers.MaxBy(p => p.Municipalities.Count)!;
            var (elapsed, decided) = await SubmitAndWaitAsync([largest.Code]);
            return $"{largest.Code}, {largest.Municipalities.Count} municipalities: {decided}";
        });
        yield return ($"all {providers.Length} providers' returns at once: upload -> all verdicts (throughput)", async () =>
        {
            var (elapsed, decided) = await SubmitAndWaitAsync(providers);
            return string.Create(CultureInfo.InvariantCulture, $"{providers.Length / elapsed.TotalMinutes:0} returns/min; {decided}");
        });
    }

    /// <summary>Fresh bytes for each run (the run number is in the contact line), then submit all and wait for their verdicts.</summary>
    async Task<(TimeSpan Elapsed, string Decided)> SubmitAndWaitAsync(string[] codes)
    {
        run++;
        var files = codes.Select(code =>
        {
            var p = reference.Providers.Single(x => x.Code == code);
            var g = DemoReturnGenerator.Generate(reference, p, BenchReturns.Period, 42);
            g = g with { Cover = g.Cover with { Contact = g.Cover.Contact + $" (Lauf {run})" } };
            var path = Path.Combine(workDir, $"{code}-{run}.xlsx");
            DemoReturnWriter.WriteStreaming(g, reference.Catalog, path);
            return (Code: code, Bytes: File.ReadAllBytes(path), Name: Path.GetFileName(path));
        }).ToList();

        var intake = host!.Services.GetRequiredService<UploadIntake>();
        var sw = Stopwatch.StartNew();
        var ids = new List<long>();
        foreach (var f in files) ids.Add((await intake.SubmitAsync(f.Bytes, f.Name, f.Code, "bench")).VersionId);
        while (true)
        {
            await using var cmd = database!.Db.CreateCommand("select status, count(*) from return_versions where id = any($1) group by status order by status");
            cmd.Parameters.Add(new() { Value = ids.ToArray() });
            var counts = new List<(string, long)>();
            await using (var r = await cmd.ExecuteReaderAsync())
                while (await r.ReadAsync()) counts.Add((r.GetString(0), r.GetInt64(1)));
            if (counts.All(c => c.Item1 != "received"))
            {
                sw.Stop();
                Harness.ExternalMs = sw.Elapsed.TotalMilliseconds;   // from the first upload, without writing the files
                return (sw.Elapsed, string.Join(", ", counts.Select(c => $"{c.Item2} {c.Item1}")));
            }
            if (sw.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("verdicts did not arrive within 10 minutes");
            await Task.Delay(20);
        }
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (host is not null) { await host.StopAsync(); host.Dispose(); }
        if (database is not null) await database.DisposeAsync();
    }
}
