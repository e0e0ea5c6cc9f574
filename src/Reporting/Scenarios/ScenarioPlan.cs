namespace Reporting.Scenarios;

/// <summary>A validated scenario's changes, resolved to providers, municipalities and services, in order.</summary>
public sealed record ScenarioPlan(IReadOnlyList<ScenarioStep> Steps);

public abstract record ScenarioStep(int Number);

/// <summary>
/// Providers merged into <see cref="Into"/> (a new provider when <see cref="NewName"/> is set); the facts go
/// into <see cref="Target"/>'s return version.
/// </summary>
public sealed record MergeStep(int Number, IReadOnlyList<string> Providers, string Into, string? NewName,
    string Target) : ScenarioStep(Number);

/// <summary>
/// These municipalities' supply of these services moves to <see cref="To"/>; with an online service (OZG) among
/// them they take the receiving provider's OZG maturity too.
/// </summary>
public sealed record MoveStep(int Number, IReadOnlyList<string> Municipalities, IReadOnlyList<string> Services,
    string To, bool TakesOzg) : ScenarioStep(Number);
