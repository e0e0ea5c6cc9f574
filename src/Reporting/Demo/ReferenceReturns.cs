using System.Text;
using Reporting.Ingestion;

namespace Reporting.Demo;

/// <summary>
/// The returns of <c>demo --reference DIR</c>: one per provider of the folder's service areas, written by the code
/// of <c>generate --reference</c> (same seed, same codes as <c>reference import</c> registers). Written once and
/// reused (a workbook written again differs in its zip timestamps), so a rerun submits the same bytes and nothing is
/// ingested or mailed twice.
/// </summary>
public static class ReferenceReturns
{
    public const string Period = "2025";
    const int Seed = 42;

    /// <summary>The embedded cluster's database for a reference folder, apart from the demo region's.</summary>
    public static string DatabaseName(string referenceDir)
    {
        var sb = new StringBuilder("reporting_");
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(referenceDir)));
        foreach (var c in folder.ToLowerInvariant())
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }

    /// <summary>Writes the missing returns into <paramref name="dir"/>; the paths of all of them, ordered.</summary>
    public static IReadOnlyList<string> Write(string referenceDir, string dir)
    {
        var reference = DemoReturnReference.Load(referenceDir);
        Directory.CreateDirectory(dir);
        var paths = reference.Providers.Select(p => Path.Combine(dir, $"{p.Code}-{Period}.xlsx")).ToList();
        // Writing the workbooks is most of the time; each provider's return is independent, so both cores write.
        Parallel.ForEach(reference.Providers.Where(p => !File.Exists(Path.Combine(dir, $"{p.Code}-{Period}.xlsx"))),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, provider =>
            {
                var generated = DemoReturnGenerator.Generate(reference, provider, Period, Seed);
                // Never half a file under the final name.
                var partial = Path.Combine(dir, $".{provider.Code}-{Period}.partial.xlsx");
                DemoReturnWriter.Write(generated, reference.Catalog, partial);
                File.Move(partial, Path.Combine(dir, $"{provider.Code}-{Period}.xlsx"), overwrite: true);
            });
        return paths.Order(StringComparer.Ordinal).ToList();
    }
}
