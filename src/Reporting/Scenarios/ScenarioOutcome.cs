namespace Reporting.Scenarios;

/// <summary>Either the problems that stopped the scenario (German, one per problem) or its result.</summary>
public sealed record ScenarioOutcome(IReadOnlyList<string> Problems, ScenarioResult? Result)
{
    public static ScenarioOutcome Failed(IReadOnlyList<string> problems) => new(problems, null);
}
