namespace Reporting.Scenarios;

/// <summary>
/// A consolidation scenario as written in its JSON file (or posted to the API): a name, the period whose accepted
/// facts it starts from, the changes in the order they apply, and the share of its cost a sending provider keeps
/// during the transition (null: <see cref="ScenarioCosts.DefaultRemanentShare"/>).
/// </summary>
public sealed record ScenarioDefinition(string Name, string Period, IReadOnlyList<ScenarioChange> Changes,
    decimal? RemanentShare = null);

/// <summary>One change; <see cref="Number"/> counts from 1 in the file's order (messages name it).</summary>
public abstract record ScenarioChange(int Number);

/// <summary>
/// Providers merge into one: into one of them, or into a new provider (<see cref="NewName"/> set) that takes over
/// the first one's return.
/// </summary>
public sealed record MergeChange(int Number, IReadOnlyList<string> Providers, string Into, string? NewName)
    : ScenarioChange(Number);

/// <summary>
/// Municipalities (named, or all of the named districts) move the named services (null: all they receive) to a
/// provider.
/// </summary>
public sealed record MoveChange(int Number, IReadOnlyList<string> Districts, IReadOnlyList<string> Municipalities,
    IReadOnlyList<string>? Services, string To) : ScenarioChange(Number);
