using Reporting.Scenarios;

namespace Reporting.Tests.Scenarios;

/// <summary>
/// A small world for scenarios, by hand: providers A, B, C report for 2025 (D is registered, no return).
/// Supply (workstations): A m1 ARB 100, m1 FIN 50; B m2 ARB 200, m3 ARB 100; C m2 FIN 20, m3 FIN 80, m3 POR 80.
/// Cost: A ARB 300,000 (3,000 per workstation), A FIN 50,000 (1,000); B ARB 600,000 (2,000); C FIN 200,000
/// (2,000), C POR 8,000. Districts 05111 (m1), 05162 (m2, m3).
/// </summary>
public static class ScenarioTestWorld
{
    public const string M1 = "05111000", M2 = "05162004", M3 = "05162008";

    public static ScenarioWorld Create(bool periodExists = true) => new()
    {
        Period = "2025",
        PeriodExists = periodExists,
        Providers = new Dictionary<string, string>
            { ["A"] = "Anbieter A", ["B"] = "Anbieter B", ["C"] = "Anbieter C", ["D"] = "Anbieter D" },
        Versions = new Dictionary<string, long> { ["A"] = 1, ["B"] = 2, ["C"] = 3 },
        Services = new Dictionary<string, string>
            { ["ARB"] = "Arbeitsplatz-IT", ["FIN"] = "Finanzwesen", ["POR"] = "Serviceportal" },
        OnlineServices = new HashSet<string> { "POR" },
        Districts = new Dictionary<string, string> { ["05111"] = "Düsseldorf", ["05162"] = "Rhein-Kreis Neuss" },
        Municipalities = new Dictionary<string, (string, string)>
            { [M1] = ("Düsseldorf", "05111"), [M2] = ("Dormagen", "05162"), [M3] = ("Grevenbroich", "05162") },
        Supplies =
        [
            new("A", M1, "ARB", 100), new("A", M1, "FIN", 50), new("B", M2, "ARB", 200), new("B", M3, "ARB", 100),
            new("C", M2, "FIN", 20), new("C", M3, "FIN", 80), new("C", M3, "POR", 80),
        ],
        Costs = new Dictionary<(string, string), decimal>
        {
            [("A", "ARB")] = 300_000m, [("A", "FIN")] = 50_000m, [("B", "ARB")] = 600_000m,
            [("C", "FIN")] = 200_000m, [("C", "POR")] = 8_000m,
        },
    };

    public static ScenarioDefinition Parse(string json) =>
        ScenarioParser.Parse(json).Scenario ?? throw new Xunit.Sdk.XunitException(
            string.Join("\n", ScenarioParser.Parse(json).Problems));

    /// <summary>The problems of a scenario in this world (parse and validation).</summary>
    public static IReadOnlyList<string> Problems(string json, out ScenarioPlan? plan)
    {
        plan = null;
        var parsed = ScenarioParser.Parse(json);
        return parsed.Scenario is null ? parsed.Problems : Create().Validate(parsed.Scenario, out plan);
    }
}
