using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reporting.Ingestion;
using Reporting.Tests.Shared;
using Reporting.Uploads;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// The worst uploads of issues 18 and 23, each as the server handles it: stored (UploadStore), ingested
/// (ReturnIngester: file check, reading under the limits, verdict) and the feedback workbook the verdict mail attaches
/// built and stored (FeedbackStore). Each variant in its own process, so its peak RSS is its own; the budget is
/// 400 MB.
/// </summary>
public sealed class HostileScenario : Scenario
{
    public override string Name => "hostile";
    public override string Description
        => "worst-case uploads (deep nesting, 10,000 sheets, millions of shared strings, 16,384 columns, padded "
            + "parts, odd shared-string roots, texts of 200 million characters): ingest + feedback";
    public override bool ProcessPerVariant => true;
    public override int Repeats => 1;

    static readonly (string Name, string Variant, Func<int, byte[]> Build)[] Cases =
    [
        ("nested", "94,000 nested rich-text runs (62 KB)", copy => HostileWorkbooks.NestedRuns(copy: copy)),
        ("sheets", "10,000 sheets", copy => HostileWorkbooks.ManySheets(copy: copy)),
        ("strings-4m", "4,000,000 shared strings (over the limit)",
            copy => HostileWorkbooks.ManySharedStrings(4_000_000, copy)),
        ("strings-limit", "1,000,000 shared strings (the limit: read and held)",
            copy => HostileWorkbooks.ManySharedStrings(1_000_000, copy)),
        ("long-text", "one inline string of 8,000,000 characters (over the text-node limit)",
            copy => HostileWorkbooks.LongText(8_000_000, inline: true, copy: copy)),
        ("columns", "200 rows of 16,384 columns (3.3 million cells, within the limits)",
            copy => HostileWorkbooks.WideRows(200, copy)),
        ("padded-strings", "4,000,000 shared strings in a part padded with whitespace",
            copy => HostileWorkbooks.OddSharedStrings(4_000_000, HostileWorkbooks.SharedStringsShape.Padded, copy)),
        ("renamed-sst", "4,000,000 shared strings under a renamed root",
            copy => HostileWorkbooks.OddSharedStrings(4_000_000, HostileWorkbooks.SharedStringsShape.RenamedRoot,
                copy)),
        ("deeper-si", "4,000,000 shared strings one level deeper",
            copy => HostileWorkbooks.OddSharedStrings(4_000_000, HostileWorkbooks.SharedStringsShape.Deeper, copy)),
        ("padded-sheets", "10,000 sheets, workbook.xml padded with whitespace",
            copy => HostileWorkbooks.ManySheets(copy: copy, padded: true)),
        ("huge-v", "one <v> of a t=\"str\" cell of 200,000,000 characters",
            copy => HostileWorkbooks.HugeText(200_000_000, HostileWorkbooks.HugeTextPlace.StrValue, copy)),
        ("split-t", "one inline <t> of 200,000,000 characters split by child elements",
            copy => HostileWorkbooks.HugeText(200_000_000, HostileWorkbooks.HugeTextPlace.SplitText, copy)),
        ("huge-f", "one <f> of 200,000,000 characters",
            copy => HostileWorkbooks.HugeText(200_000_000, HostileWorkbooks.HugeTextPlace.Formula, copy)),
        ("huge-inline", "one inline string of 200,000,000 characters",
            copy => HostileWorkbooks.HugeText(200_000_000, HostileWorkbooks.HugeTextPlace.Inline, copy)),
        ("huge-attribute", "one attribute value of 200,000,000 characters",
            copy => HostileWorkbooks.HugeText(200_000_000, HostileWorkbooks.HugeTextPlace.Attribute, copy)),
    ];

    BenchDatabase? database;
    int next;

    static string FileOf(BenchmarkContext context, string name, int copy) => Path.Combine(context.WorkDir,
        $"hostile-{name}-{copy}.xlsx");

    public override Task<string?> PrepareAsync(BenchmarkContext context)
    {
        foreach (var (name, _, build) in Cases)
            for (var copy = 0; copy <= Repeats; copy++)
                if (!File.Exists(FileOf(context, name, copy))) File.WriteAllBytes(FileOf(context, name, copy),
                    build(copy));
        return Task.FromResult<string?>(string.Join(", ", Cases.Select(c =>
            string.Create(CultureInfo.InvariantCulture,
                $"{c.Name} {new FileInfo(FileOf(context, c.Name, 0)).Length / 1024.0:N0} KB"))));
    }

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        database = await BenchDatabase.CreateAsync("hostile", synthetic: false);
        return "hostile uploads";
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context) =>
        Cases.Select(c => (c.Variant, (Func<Task<string?>>)(() => RunAsync(context, c.Name))));

    async Task<string?> RunAsync(BenchmarkContext context, string name)
    {
        var file = FileOf(context, name, next++ % (Repeats + 1));
        var db = database!.Db;
        var limits = Options.Create(new UploadsOptions());
        var receipt = await new UploadStore(db).StoreAsync(await File.ReadAllBytesAsync(file), Path.GetFileName(file),
            BenchReturns.Provider, "bench");
        if (receipt.Recognised) return "the same bytes were recognised (more runs than copies)";
        var outcome = await new ReturnIngester(db, Options.Create(new IngestionOptions()), limits,
            NullLogger<ReturnIngester>.Instance).IngestAsync(receipt.VersionId);
        var feedback = await new FeedbackStore(db, new ReturnVersions(db), limits).GetAsync(receipt.VersionId);
        var rule = outcome.Messages.FirstOrDefault(m => m.Severity == Severity.Error)?.Rule ?? "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Status} ({rule}); feedback {feedback?.Length / 1024.0 ?? 0:N0} KB");
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (database is not null) await database.DisposeAsync();
    }
}
