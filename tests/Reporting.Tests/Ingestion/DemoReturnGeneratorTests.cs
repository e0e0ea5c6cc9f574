using Reporting.Ingestion;

namespace Reporting.Tests.Ingestion;

public sealed class DemoReturnGeneratorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_facts_and_another_seed_other_facts()
    {
        var a = ReturnFiles.Generate("KDZA", "2024", seed: 42);
        var b = ReturnFiles.Generate("KDZA", "2024", seed: 42);
        var c = ReturnFiles.Generate("KDZA", "2024", seed: 43);
        Assert.Equal(a.Cover, b.Cover);
        Assert.Equal(a.Costs, b.Costs);
        Assert.Equal(a.Supply, b.Supply);
        Assert.Equal(a.Ozg, b.Ozg);
        Assert.NotEqual(a.Costs, c.Costs);
    }

    [Fact]
    public void Figures_are_plausible_and_the_stated_total_is_the_sum_of_the_cost_lines()
    {
        foreach (var provider in ReturnFiles.Demo.Providers)
        {
            var g = ReturnFiles.Generate(provider.Code, "2025", 42);
            Assert.Equal(g.Costs.Sum(c => c.Amount), g.Cover.StatedTotal);
            var workstations = g.Supply.Where(s => s.ServiceCode == "ARB").Sum(s => s.Workstations);
            var perWorkstation = g.Cover.StatedTotal!.Value / workstations;
            Assert.InRange(perWorkstation, 2000m, 4500m);
            Assert.Equal(provider.Municipalities.Order(), g.Supply.Select(s => s.Ags).Distinct().Order());
            Assert.All(g.Ozg, o => Assert.InRange(o.Maturity, 0, 4));
        }
        // Maturity rises from one period to the next.
        Assert.True(ReturnFiles.Generate("KDZA", "2025").Ozg.Average(o => o.Maturity) > ReturnFiles.Generate("KDZA",
            "2024").Ozg.Average(o => o.Maturity));
    }

    [Fact]
    public void The_committed_samples_validate_without_errors_against_the_demo_reference()
    {
        var samples = Directory.GetFiles(Path.Combine(ReturnFiles.RepoRoot, "data", "samples"), "*.xlsx");
        Assert.Equal(6, samples.Length);
        foreach (var path in samples)
        {
            var code = Path.GetFileNameWithoutExtension(path).Split('-')[0];
            var p = ReturnFiles.Validate(path, uploader: code);
            Assert.True(p.ErrorCount == 0, $"{path}:\n{ReturnFiles.Dump(p)}");
            Assert.Equal(code, p.Cover!.ProviderCode);
            Assert.NotEmpty(p.Ozg);
        }
    }

    [Fact]
    public void The_committed_samples_are_what_the_generator_writes_with_seed_42()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(ReturnFiles.RepoRoot, "data", "samples"), "*.xlsx"))
        {
            var parts = Path.GetFileNameWithoutExtension(path).Split('-');
            var g = ReturnFiles.Generate(parts[0], parts[1], 42);
            var p = ReturnFiles.Validate(path);
            Assert.Equal(g.Cover, p.Cover);
            Assert.Equal(g.Costs, p.Costs);
            Assert.Equal(g.Ozg, p.Ozg);
        }
    }
}
