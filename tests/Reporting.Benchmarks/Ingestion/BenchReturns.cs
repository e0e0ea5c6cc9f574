using System.Globalization;
using Reporting.Ingestion;
using Reporting.Reference;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// The returns the reader and ingest scenarios share. One provider, BENCH, reports for every NRW municipality, so
/// the real reference (../shared/reference) gives 396 x 557 = 220,572 distinct OZG keys: a 200,000-row return has
/// no duplicate. A 1,000,000-row return cannot be unique in NRW; its reference adds 1,500 synthetic municipalities
/// (district 05999, AGS 0599xxxx) so that 1,896 x 557 = 1,056,072 keys exist. Files are generated once into the
/// work dir (in the parent process) and reused.
/// </summary>
public static class BenchReturns
{
    public const string Provider = "BENCH", ProviderName = "Benchmark-Dienstleister", Period = "2025";
    public const string SyntheticDistrict = "05999";
    public const int SyntheticMunicipalities = 1500;

    public static string ReferenceDir
        => Path.GetFullPath(Path.Combine(AppPaths.FindContentRoot(), "..", "shared", "reference"));
    public static bool HasRealReference
        => File.Exists(Path.Combine(ReferenceDir, Reporting.Reference.ReferenceImporter.MunicipalitiesFile));

    /// <summary>Rows past NRW's key space need the synthetic municipalities.</summary>
    public static bool NeedsSynthetic(int rows) => rows > 200_000;

    public static string SyntheticAgs(int i) => "0599" + i.ToString("0000", CultureInfo.InvariantCulture);

    /// <summary>
    /// The reference the file is generated from and checked against (the same one the ingest database holds).
    /// </summary>
    public static DemoReturnReference Reference(bool synthetic)
    {
        var nrw = DemoReturnReference.FromCsv(ReferenceDir);
        var municipalities = nrw.Catalog.Municipalities.ToList();
        var population = nrw.Population.ToDictionary();
        if (synthetic)
            for (var i = 1; i <= SyntheticMunicipalities; i++)
            {
                municipalities.Add(KeyValuePair.Create(SyntheticAgs(i), $"Synthetische Gemeinde {i}"));
                population[SyntheticAgs(i)] = 10_000;
            }
        var provider = new DemoReturnReference.Provider(Provider, ProviderName,
            [.. nrw.Providers.SelectMany(p => p.Districts).Distinct(), .. synthetic ? new[] { SyntheticDistrict } : []],
            municipalities.Select(m => m.Key).ToList());
        var c = nrw.Catalog;
        var catalog = new ReferenceCatalog(municipalities, c.OzgServices, c.Services, c.CostTypes,
            [.. c.Providers, KeyValuePair.Create(Provider, ProviderName)], c.Periods);
        return new DemoReturnReference(catalog, [provider], population);
    }

    /// <summary>
    /// The generated return of that many rows (OZG + supply), written with the streaming writer; reused when present.
    /// </summary>
    public static string Ensure(BenchmarkContext context, int rows, int copy = 0)
    {
        var path = Path.Combine(context.WorkDir,
            string.Create(CultureInfo.InvariantCulture, $"{Provider}-{Period}-{rows}-{copy}.xlsx"));
        if (File.Exists(path)) return path;
        var reference = Reference(NeedsSynthetic(rows));
        var g = DemoReturnGenerator.Generate(reference, reference.Providers[0], Period, 42, rows);
        if (g.DuplicateOzgRows > 0) throw new InvalidOperationException(
            $"{rows} rows exceed the key space by {g.DuplicateOzgRows}");
        // Copies differ in the contact line only, so each upload has new bytes (the same bytes are recognised, not
        // ingested).
        if (copy > 0) g = g with { Cover = g.Cover with { Contact = g.Cover.Contact + $" (Lauf {copy})" } };
        Console.Error.WriteLine($"  generating {Path.GetFileName(path)}");
        DemoReturnWriter.WriteStreaming(g, reference.Catalog, path + ".tmp");
        File.Move(path + ".tmp", path);
        return path;
    }

    public static string Describe(string path, int rows)
    {
        var keys = NeedsSynthetic(rows) ? " (NRW + 1,500 synthetic municipalities)" : " (real NRW keys, no duplicates)";
        var megabytes = new FileInfo(path).Length / 1024.0 / 1024.0;
        return string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows{keys}, {megabytes:0.0} MB xlsx");
    }
}
