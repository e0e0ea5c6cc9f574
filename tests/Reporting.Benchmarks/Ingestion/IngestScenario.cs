using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reporting.Ingestion;
using Reporting.Uploads;
using Reporting.Reference;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// A return end to end as the ingest job handles it: the upload stored (bytes + hash, UploadStore), then
/// ReturnIngester reads it back, validates all layers, copies the facts into PostgreSQL and stores the verdict
/// in one transaction. Compared with a parse-only pass of our reader over the same file. Every end-to-end run
/// uploads a copy with different bytes (the contact line differs), so each one is a real new version that
/// supersedes the previous. A variant times the ingest job alone (the upload stored first, untimed), as the issue's
/// "end to end (parse, validate, load)" reads. Each variant runs in its own process: peak RSS is that variant's.
/// </summary>
public class IngestScenario : Scenario
{
    public override string Name => "ingest";
    public override string Description
        => "a 200,000-row return end to end (store upload, validate, COPY into PostgreSQL, verdict) vs parse only";
    public override bool ProcessPerVariant => true;
    protected virtual int Rows => 200_000;

    BenchDatabase? database;
    ReferenceCatalog catalog = null!;
    string[] files = [];
    int next;

    public override Task<string?> PrepareAsync(BenchmarkContext context)
    {
        if (!BenchReturns.HasRealReference) throw new SkipScenario(
            $"the real NRW reference is absent ({BenchReturns.ReferenceDir})");
        files = Enumerable.Range(0, Repeats + 1).Select(i => BenchReturns.Ensure(context, Rows, i)).ToArray();
        return Task.FromResult<string?>(BenchReturns.Describe(files[0], Rows));
    }

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        files = Enumerable.Range(0, Repeats + 1).Select(i => BenchReturns.Ensure(context, Rows, i)).ToArray();
        catalog = BenchReturns.Reference(BenchReturns.NeedsSynthetic(Rows)).Catalog;
        database = await BenchDatabase.CreateAsync("ingest", BenchReturns.NeedsSynthetic(Rows));
        return BenchReturns.Describe(files[0], Rows);
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("parse only: ReturnReader over the file (ours)", () =>
        {
            using var s = File.OpenRead(files[0]);
            var r = ReturnReader.Read(s, catalog.CostTypes, new MessageSink());
            return Task.FromResult<string?>(string.Create(CultureInfo.InvariantCulture,
                $"{r.Ozg.Count + r.Supply.Count:N0} rows"));
        });
        yield return ("end to end: UploadStore + ReturnIngester (validate, COPY, verdict)", ()
            => EndToEndAsync(ingestOnly: false));
        yield return ("the ingest job alone: ReturnIngester on the stored upload (read back, validate, COPY, verdict)",
            () => EndToEndAsync(ingestOnly: true));
        yield return ("the same in stages (UploadStore, ReturnValidator, ReturnIngester.StoreAsync)", StagesAsync);
    }

    /// <param name="ingestOnly">Time only what the Hangfire ingest job does, not the upload's storing before
    /// it.</param>
    async Task<string?> EndToEndAsync(bool ingestOnly)
    {
        var file = files[next++ % files.Length];
        var started = Stopwatch.StartNew();
        var receipt = await new UploadStore(database!.Db).StoreAsync(await File.ReadAllBytesAsync(file),
            Path.GetFileName(file), BenchReturns.Provider, "bench");
        if (receipt.Recognised) return "the same bytes were recognised, nothing ingested (more runs than copies)";
        var ingesting = Stopwatch.StartNew();
        var ingester = new ReturnIngester(database.Db, Options.Create(new IngestionOptions()),
            Options.Create(new UploadsOptions()), NullLogger<ReturnIngester>.Instance);
        var outcome = await ingester.IngestAsync(receipt.VersionId);
        var seconds = (ingestOnly ? ingesting : started).Elapsed.TotalSeconds;
        if (ingestOnly) Harness.ExternalMs = seconds * 1000;
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Status}, {outcome.ErrorCount} errors; {Rows / seconds:N0} rows/s");
    }

    /// <summary>The same work with a stopwatch per stage, to show where the time goes.</summary>
    async Task<string?> StagesAsync()
    {
        var file = files[next++ % files.Length];
        var sw = Stopwatch.StartNew();
        var bytes = await File.ReadAllBytesAsync(file);
        var receipt = await new UploadStore(database!.Db).StoreAsync(bytes, Path.GetFileName(file),
            BenchReturns.Provider, "bench");
        var stored = sw.Elapsed;
        var dbCatalog = await ReferenceCatalog.LoadAsync(database.Db);
        using var stream = new MemoryStream(bytes, writable: false);
        var parsed = new ReturnValidator(dbCatalog).Validate(stream, file,
            new ValidationContext(BenchReturns.Provider));
        var validated = sw.Elapsed;
        var ingester = new ReturnIngester(database.Db, Options.Create(new IngestionOptions()),
            Options.Create(new UploadsOptions()), NullLogger<ReturnIngester>.Instance);
        var outcome = await ingester.StoreAsync(receipt.VersionId, parsed);
        var done = sw.Elapsed;
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Status}; upload stored {stored.TotalSeconds:0.0} s, read + validated "
                + $"{(validated - stored).TotalSeconds:0.0} s, facts loaded + verdict "
                    + $"{(done - validated).TotalSeconds:0.0} s");
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (database is not null) await database.DisposeAsync();
    }
}

/// <summary>
/// The same with 1,000,000 rows. NRW has only 220,572 OZG keys, so the file and the database carry 1,500
/// synthetic municipalities beside the real ones (see <see cref="BenchReturns"/>): the rows are unique and accepted.
/// </summary>
public sealed class Ingest1MScenario : IngestScenario
{
    public override string Name => "ingest-1m";
    public override string Description
        => "a 1,000,000-row return end to end vs parse only (NRW + 1,500 synthetic municipalities)";
    public override bool Large => true;
    public override int Repeats => 1;
    protected override int Rows => 1_000_000;
}
