using System.Text.RegularExpressions;
using Reporting.Ingestion;

namespace Reporting.Tests.Ingestion;

public sealed class RealReferenceGeneratorTests
{
    internal static readonly string SharedReference = Path.GetFullPath(Path.Combine(ReturnFiles.RepoRoot, "..",
        "shared", "reference"));

    [SharedReferenceFact]
    public void The_real_reference_gives_about_thirty_providers_with_valid_codes_covering_every_municipality()
    {
        var r = DemoReturnReference.Load(SharedReference);

        Assert.InRange(r.Providers.Count, 25, 40);
        Assert.All(r.Providers, p => Assert.Matches(new Regex("^[A-Z0-9][A-Z0-9_-]{1,19}$"), p.Code));
        Assert.Equal(r.Providers.Count, r.Providers.Select(p => p.Code).Distinct().Count());
        Assert.Equal(396, r.Providers.SelectMany(p => p.Municipalities).Distinct().Count());

        var provider = r.Providers.OrderBy(p => p.Municipalities.Count).First();
        var g = DemoReturnGenerator.Generate(r, provider, "2025", 42);
        var path = Path.Combine(ReturnFiles.TempDir(), $"{provider.Code}-2025.xlsx");
        DemoReturnWriter.Write(g, r.Catalog, path);
        var parsed = new ReturnValidator(r.Catalog).Validate(path, new ValidationContext(provider.Code));
        Assert.True(parsed.ErrorCount == 0, ReturnFiles.Dump(parsed));
        Assert.Equal(g.Ozg.Count, parsed.Ozg.Count);
    }
}

/// <summary>Skipped with the reason where ../shared/reference (the real NRW files) is absent.</summary>
public sealed class SharedReferenceFactAttribute : FactAttribute
{
    public SharedReferenceFactAttribute()
    {
        if (!File.Exists(Path.Combine(RealReferenceGeneratorTests.SharedReference, "nrw_gemeinden.csv")))
            Skip = $"needs the real NRW reference files in {RealReferenceGeneratorTests.SharedReference}; absent in "
                + $"this checkout";
    }
}
