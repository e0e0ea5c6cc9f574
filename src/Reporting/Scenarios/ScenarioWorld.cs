using System.Text.RegularExpressions;
using Npgsql;

namespace Reporting.Scenarios;

/// <summary>
/// What a scenario is checked and costed against: the reference codes, and the period's accepted facts in the
/// shape the changes need (who supplies which service to which municipality, each provider's cost per service).
/// </summary>
public sealed partial class ScenarioWorld
{
    public required string Period { get; init; }
    public required bool PeriodExists { get; init; }
    /// <summary>Registered providers: code -> name.</summary>
    public required IReadOnlyDictionary<string, string> Providers { get; init; }
    /// <summary>Providers with an accepted, current return in the period: code -> return version id.</summary>
    public required IReadOnlyDictionary<string, long> Versions { get; init; }
    public required IReadOnlyDictionary<string, string> Services { get; init; }
    /// <summary>Services that carry the OZG online services (category "Online-Dienste").</summary>
    public required IReadOnlySet<string> OnlineServices { get; init; }
    public required IReadOnlyDictionary<string, string> Districts { get; init; }
    /// <summary>Municipality AGS -> (name, district key).</summary>
    public required IReadOnlyDictionary<string, (string Name, string District)> Municipalities { get; init; }
    public required IReadOnlyList<Supply> Supplies { get; init; }
    /// <summary>Cost per provider and service (all cost types).</summary>
    public required IReadOnlyDictionary<(string Provider, string Service), decimal> Costs { get; init; }

    /// <summary>A supply fact: workstations of one service in one municipality, by one provider.</summary>
    public sealed record Supply(string Provider, string Ags, string Service, decimal Workstations);

    public static async Task<ScenarioWorld> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string period,
        CancellationToken ct)
    {
        async Task<List<object[]>> Rows(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            if (sql.Contains("$1", StringComparison.Ordinal)) cmd.Parameters.Add(new() { Value = period });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<object[]>();
            while (await r.ReadAsync(ct))
            {
                var row = new object[r.FieldCount];
                r.GetValues(row);
                rows.Add(row);
            }
            return rows;
        }
        var exists = (await Rows("select 1 from periods where period = $1")).Count > 0;
        var services = await Rows("select code, name, category from services");
        var municipalities = await Rows("select ags, name, district_key from municipalities");
        return new ScenarioWorld
        {
            Period = period,
            PeriodExists = exists,
            Providers = (await Rows("select code, name from providers")).ToDictionary(r => (string)r[0],
                r => (string)r[1]),
            Versions = (await Rows("select provider_code, id from current_versions where period = $1"))
                .ToDictionary(r => (string)r[0], r => (long)r[1]),
            Services = services.ToDictionary(r => (string)r[0], r => (string)r[1]),
            OnlineServices = services.Where(r => (string)r[2] == "Online-Dienste").Select(r => (string)r[0])
                .ToHashSet(),
            Districts = (await Rows("select key, name from districts")).ToDictionary(r => (string)r[0],
                r => (string)r[1]),
            Municipalities = municipalities.ToDictionary(r => (string)r[0], r => ((string)r[1], (string)r[2])),
            Supplies = (await Rows("""
                select v.provider_code, s.ags, s.service_code, s.workstations::numeric
                from supply_facts s join current_versions v on v.id = s.return_version_id where v.period = $1
                """)).Select(r => new Supply((string)r[0], (string)r[1], (string)r[2], (decimal)r[3])).ToList(),
            Costs = (await Rows("""
                select v.provider_code, c.service_code, sum(c.amount)
                from cost_facts c join current_versions v on v.id = c.return_version_id where v.period = $1
                group by 1, 2
                """)).ToDictionary(r => ((string)r[0], (string)r[1]), r => (decimal)r[2]),
        };
    }

    /// <summary>
    /// Checks the scenario against the data: one German sentence per problem; none means it can be computed, and
    /// <paramref name="plan"/> holds its changes resolved to municipalities and services.
    /// </summary>
    public IReadOnlyList<string> Validate(ScenarioDefinition s, out ScenarioPlan? plan)
    {
        plan = null;
        var problems = new List<string>();
        if (!PeriodExists) return [$"Der Zeitraum „{s.Period}“ ist unbekannt."];
        if (Versions.Count == 0) return [$"Für den Zeitraum „{s.Period}“ liegen keine angenommenen Meldungen vor."];

        // The changes apply in order: who supplies what is followed through them.
        var suppliers = Supplies.GroupBy(x => (x.Ags, x.Service))
            .ToDictionary(g => g.Key, g => g.Select(x => x.Provider).ToHashSet());
        var served = Supplies.GroupBy(x => x.Provider).ToDictionary(g => g.Key, g => g.Select(x => x.Service)
            .ToHashSet());
        var active = Versions.Keys.ToHashSet();
        var gone = new Dictionary<string, (string Into, int Change)>();
        var moved = new Dictionary<(string Ags, string Service), int>();
        var steps = new List<ScenarioStep>();

        string? Absent(int n, string code)
        {
            if (gone.TryGetValue(code, out var g))
                return $"Änderung {n}: Dienstleister „{code}“ ist schon in Änderung {g.Change} in „{g.Into}“ "
                    + "aufgegangen.";
            if (!Providers.ContainsKey(code) && !active.Contains(code))
                return $"Änderung {n}: Dienstleister „{code}“ ist unbekannt.";
            if (!active.Contains(code))
                return $"Änderung {n}: Dienstleister „{code}“ hat für {s.Period} keine angenommene Meldung.";
            return null;
        }

        foreach (var change in s.Changes)
        {
            var n = change.Number;
            var before = problems.Count;
            switch (change)
            {
                case MergeChange m:
                {
                    foreach (var p in m.Providers)
                        if (Absent(n, p) is { } why) problems.Add(why);
                    var isNew = !m.Providers.Contains(m.Into);
                    if (isNew && (Providers.ContainsKey(m.Into) || active.Contains(m.Into)))
                        problems.Add($"Änderung {n}: „{m.Into}“ ist ein anderer bestehender Dienstleister; \"into\" "
                            + "muss einer der fusionierenden sein oder ein neuer Code mit Namen.");
                    else if (isNew && !ProviderCode().IsMatch(m.Into))
                        problems.Add($"Änderung {n}: „{m.Into}“ ist kein gültiger Code für den neuen Dienstleister "
                            + "(2–20 Großbuchstaben, Ziffern, _ oder -).");
                    else if (isNew && m.NewName is null)
                        problems.Add($"Änderung {n}: der neue Dienstleister „{m.Into}“ braucht einen Namen "
                            + "(\"name\").");
                    if (problems.Count > before) break;
                    // The new provider continues the first one's return; an existing one its own.
                    var target = isNew ? m.Providers[0] : m.Into;
                    var parts = m.Providers.ToList();
                    foreach (var set in suppliers.Values)
                        if (set.RemoveWhere(parts.Contains) > 0) set.Add(m.Into);
                    var union = parts.SelectMany(p => served.GetValueOrDefault(p) ?? []).ToHashSet();
                    foreach (var p in parts) { served.Remove(p); active.Remove(p); }
                    served[m.Into] = union;
                    active.Add(m.Into);
                    foreach (var p in parts.Where(p => p != m.Into)) gone[p] = (m.Into, n);
                    steps.Add(new MergeStep(n, parts, m.Into, m.NewName, target));
                    break;
                }
                case MoveChange mv:
                {
                    foreach (var d in mv.Districts.Where(d => !Districts.ContainsKey(d)))
                        problems.Add($"Änderung {n}: Kreis „{d}“ ist unbekannt.");
                    foreach (var a in mv.Municipalities.Where(a => !Municipalities.ContainsKey(a)))
                        problems.Add($"Änderung {n}: Gemeinde „{a}“ ist unbekannt.");
                    foreach (var sv in (mv.Services ?? []).Where(x => !Services.ContainsKey(x)))
                        problems.Add($"Änderung {n}: Leistung „{sv}“ ist unbekannt.");
                    if (Absent(n, mv.To) is { } why) problems.Add(why);
                    if (problems.Count > before) break;

                    var ags = mv.Municipalities.Concat(Municipalities.Where(x => mv.Districts.Contains(x.Value
                        .District)).Select(x => x.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
                    if (ags.Count == 0)
                    {
                        problems.Add($"Änderung {n}: in den genannten Kreisen liegen keine Gemeinden.");
                        break;
                    }
                    var agsSet = ags.ToHashSet();
                    // "all": every service another provider supplies to these municipalities.
                    var services = mv.Services?.ToList() ?? suppliers.Where(x => agsSet.Contains(x.Key.Ags)
                        && x.Value.Any(p => p != mv.To)).Select(x => x.Key.Service).Distinct()
                            .Order(StringComparer.Ordinal).ToList();
                    var toServes = served.GetValueOrDefault(mv.To) ?? [];
                    foreach (var sv in services.Where(x => !toServes.Contains(x)))
                        problems.Add($"Änderung {n}: Dienstleister „{mv.To}“ erbringt die Leistung „{sv}“ "
                            + $"({Services.GetValueOrDefault(sv, sv)}) im Zeitraum {s.Period} nicht und kann sie "
                            + "nicht übernehmen.");
                    if (problems.Count > before) break;

                    var pairs = ags.SelectMany(a => services.Select(sv => (a, sv)))
                        .Where(k => suppliers.TryGetValue(k, out var set) && set.Any(p => p != mv.To)).ToList();
                    if (pairs.Count == 0)
                    {
                        problems.Add($"Änderung {n}: verlagert nichts – die genannten Leistungen dieser Gemeinden "
                            + $"erbringt schon „{mv.To}“ oder niemand.");
                        break;
                    }
                    var twice = pairs.Where(moved.ContainsKey).ToList();
                    if (twice.Count > 0)
                    {
                        var (a, sv) = twice[0];
                        problems.Add($"Änderung {n}: widerspricht Änderung {moved[twice[0]]}: Gemeinde "
                            + $"„{Municipalities[a].Name}“ ({a}) verlagert die Leistung „{sv}“ dort schon"
                            + (twice.Count > 1 ? $" (und {twice.Count - 1} weitere Paare)." : "."));
                        break;
                    }
                    foreach (var k in pairs)
                    {
                        moved[k] = n;
                        suppliers[k] = [mv.To];
                    }
                    steps.Add(new MoveStep(n, ags, services, mv.To,
                        services.Any(OnlineServices.Contains)));
                    break;
                }
            }
        }
        if (problems.Count == 0) plan = new ScenarioPlan(steps);
        return problems;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{1,19}$")] private static partial Regex ProviderCode();
}
