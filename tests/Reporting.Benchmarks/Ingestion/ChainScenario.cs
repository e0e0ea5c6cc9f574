using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Reporting.Ingestion;
using Reporting.Scheduling;
using Reporting.Uploads;
using Reporting.Pipeline;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// The chain as people wait for it, through a Hangfire server with the app's Scheduling settings (appsettings.json:
/// long polling, 4 workers): UploadIntake stores the upload and enqueues the ingest job; the job stores the
/// verdict and enqueues the provider's verdict mail and the period's KPI snapshot; the snapshot triggers the
/// new-data subscription (scope NRW, one recipient), whose dashboard is rendered and mailed. Mails go to the
/// pickup folder (no SMTP host). Measured from the first upload until the last of: every verdict mail written and
/// the NRW executive mail written for a snapshot that holds every accepted return of the run; the note splits the
/// times. One
/// provider's return alone (latency), then every NRW provider's return at once (throughput).
/// </summary>
public sealed class ChainScenario : Scenario
{
    public override string Name => "chain";
    public override string Description
        => "upload -> verdict -> KPI snapshot -> dashboard -> mail in the pickup folder: one return (latency), every "
            + "NRW provider's return at once (throughput)";
    public override int Repeats => 3;

    BenchDatabase? database;
    IHost? host;
    DemoReturnReference reference = null!;
    string[] providers = [];
    string workDir = "";
    int run;

    public override Task<string?> PrepareAsync(BenchmarkContext context)
    {
        if (!BenchReturns.HasRealReference) throw new SkipScenario(
            $"the real NRW reference is absent ({BenchReturns.ReferenceDir})");
        return Task.FromResult<string?>(null);
    }

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        workDir = Path.Combine(context.WorkDir, "chain");
        if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
        Directory.CreateDirectory(workDir);
        reference = DemoReturnReference.FromCsv(BenchReturns.ReferenceDir);
        providers = reference.Providers.Select(p => p.Code).ToArray();
        database = await BenchDatabase.CreateAsync("chain", synthetic: false);
        await using (var cmd = database.Db.CreateCommand("""
            insert into providers (code, name, email)
            select c, n, lower(c) || '@bench.example.org' from unnest($1::text[], $2::text[]) as t(c, n)
            on conflict (code) do update set email = excluded.email
            """))
        {
            cmd.Parameters.Add(new() { Value = providers });
            cmd.Parameters.Add(new() { Value = reference.Providers.Select(p => p.Name).ToArray() });
            await cmd.ExecuteNonQueryAsync();
        }
        var jobs = Directory.CreateDirectory(Path.Combine(workDir, "jobs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(jobs, "bench-nrw-neue-daten.json"), $$"""
            {
              "id": "bench-nrw-neue-daten", "kind": "subscription",
              "description": "Benchmark: NRW-Bericht nach jeder angenommenen Meldung",
              "timeZone": "Europe/Berlin", "enabled": true, "report": "kennzahlen", "scope": "nrw",
              "period": "{{BenchReturns.Period}}",
              "format": "xlsx", "trigger": "new-data", "minCompleteness": 0,
              "recipients": [ { "name": "Vorstand Benchmark", "address": "vorstand@bench.example.org" } ]
            }
            """);
        var builder = ReportingHost.CreateBuilder(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Reporting"] = database.ConnectionString,   // with the password; Db's has none
                ["Paths:Jobs"] = jobs,
                ["Paths:Output"] = Path.Combine(workDir, "out"),
                ["Smtp:Host"] = "",
                ["Smtp:PickupDirectory"] = Path.Combine(workDir, "mail"),
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        builder.AddJobServer();
        host = builder.Build();
        await host.StartAsync();
        var rows = reference.Providers.Sum(p => p.Municipalities.Count) * reference.Catalog.OzgServices.Count;
        return string.Create(CultureInfo.InvariantCulture,
            $"real NRW, {providers.Length} providers' returns ({rows:N0} OZG rows in all)")
            + "; subscription: NRW dashboard on new data";
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("one return: upload -> verdict mail and NRW dashboard mail (latency)", async () =>
        {
            var largest = reference.Providers.MaxBy(p => p.Municipalities.Count)!;
            var note = await SubmitAndWaitAsync([largest.Code]);
            return $"{largest.Code} ({largest.Municipalities.Count} municipalities): {note}";
        });
        yield return ($"all {providers.Length} providers' returns at once: upload -> all mails (throughput)",
            async () =>
            await SubmitAndWaitAsync(providers));
    }

    /// <summary>
    /// Fresh bytes for each run (the run number is in the contact line), then submit all and wait for the mails.
    /// </summary>
    async Task<string> SubmitAndWaitAsync(string[] codes)
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
        TimeSpan? verdicts = null, verdictMails = null;
        while (true)
        {
            // Decided versions; verdict mails written; an NRW dashboard mail written for a snapshot that holds every
            // version accepted here. (Not "created after the last verdict": created_at is the snapshot transaction's
            // start, which may come before a verdict its queries still see.)
            await using var cmd = database!.Db.CreateCommand("""
                select count(*) filter (where rv.status <> 'received'),
                       count(*) filter (where rv.status = 'accepted'),
                       (select count(*) from deliveries d where d.kind = 'provider-verdict'
                         and d.return_version_id = any($1) and d.status = 'sent'),
                       (select count(*) from deliveries d join kpi_snapshots s on s.id = d.snapshot_id
                        where d.kind = 'executive' and d.status = 'sent'
                          and s.return_version_ids @> array(select id from return_versions where id = any($1)
                            and status = 'accepted'))
                from return_versions rv where rv.id = any($1)
                """);
            cmd.Parameters.Add(new() { Value = ids.ToArray() });
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            var (decided, accepted, verdictSent, executiveSent) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2),
                r.GetInt64(3));
            if (decided == ids.Count) verdicts ??= sw.Elapsed;
            if (verdictSent == ids.Count) verdictMails ??= sw.Elapsed;
            if (verdicts is not null && verdictMails is not null && executiveSent > 0)
            {
                sw.Stop();
                Harness.ExternalMs = sw.Elapsed.TotalMilliseconds;   // from the first upload, without writing the files
                return string.Create(CultureInfo.InvariantCulture,
                    $"{accepted}/{ids.Count} accepted; verdicts after {verdicts.Value.TotalSeconds:0.0} s, verdict "
                        + $"mails {verdictMails.Value.TotalSeconds:0.0} s, NRW dashboard mail "
                            + $"{sw.Elapsed.TotalSeconds:0.0} s; {ids.Count / sw.Elapsed.TotalMinutes:0} returns/min");
            }
            if (sw.Elapsed > TimeSpan.FromMinutes(10))
                throw new TimeoutException(
                    $"after 10 minutes: {decided} decided, {verdictSent} verdict mails, {executiveSent} dashboard "
                        + $"mails (of {ids.Count})");
            await Task.Delay(20);
        }
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (host is not null) { await host.StopAsync(); host.Dispose(); }
        if (database is not null) await database.DisposeAsync();
    }
}
