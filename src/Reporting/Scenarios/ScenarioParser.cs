using System.Globalization;
using System.Text.Json;
using Reporting.Reference;

namespace Reporting.Scenarios;

/// <summary>
/// Reads a scenario's JSON into a <see cref="ScenarioDefinition"/>, or gives one German sentence per problem of
/// form (codes are checked against the data by <see cref="ScenarioWorld.Validate"/>).
/// </summary>
public static class ScenarioParser
{
    public sealed record Parsed(ScenarioDefinition? Scenario, IReadOnlyList<string> Problems);

    public static Parsed Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } l ? string.Create(CultureInfo.InvariantCulture,
                $" (Zeile {l + 1}, Zeichen {(e.BytePositionInLine ?? 0) + 1})") : "";
            return new(null, [$"Die Szenario-Datei ist kein gültiges JSON{where}."]);
        }
        using var _ = doc;
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return new(null, ["Die Szenario-Datei muss ein JSON-Objekt sein: {\"name\": …, \"period\": …, "
                + "\"changes\": […]}."]);

        var problems = new List<string>();
        var name = Text(root, "name");
        if (string.IsNullOrWhiteSpace(name)) problems.Add("Der Name des Szenarios fehlt (\"name\").");
        else if (NameText.ProblemGerman(name) is { } badName) problems.Add($"Der Name des Szenarios {badName}.");
        var period = Text(root, "period");
        if (string.IsNullOrWhiteSpace(period)) problems.Add("Der Zeitraum fehlt (\"period\", z. B. \"2025\").");

        decimal? remanent = null;
        if (root.TryGetProperty("remanentShare", out var rs))
        {
            if (rs.ValueKind == JsonValueKind.Number && rs.TryGetDecimal(out var v) && v is >= 0 and <= 1)
                remanent = v;
            else problems.Add("\"remanentShare\" muss eine Zahl zwischen 0 und 1 sein (z. B. 0.2 für 20 %).");
        }

        var changes = new List<ScenarioChange>();
        if (!root.TryGetProperty("changes", out var list) || list.ValueKind != JsonValueKind.Array)
            problems.Add("Die Liste der Änderungen fehlt (\"changes\": […]; leer für den Ausgangsstand).");
        else
        {
            var n = 0;
            foreach (var c in list.EnumerateArray())
            {
                n++;
                var change = c.ValueKind == JsonValueKind.Object ? ParseChange(n, c, problems) : null;
                if (c.ValueKind != JsonValueKind.Object)
                    problems.Add($"Änderung {n}: muss ein Objekt mit \"merge\" oder \"move\" sein.");
                if (change is not null) changes.Add(change);
            }
        }
        return problems.Count > 0
            ? new(null, problems)
            : new(new ScenarioDefinition(name!.Trim(), period!.Trim(), changes, remanent), []);
    }

    static ScenarioChange? ParseChange(int n, JsonElement c, List<string> problems)
    {
        var isMerge = c.TryGetProperty("merge", out var merge);
        var isMove = c.TryGetProperty("move", out var move);
        if (isMerge == isMove)
        {
            problems.Add(isMerge
                ? $"Änderung {n}: enthält \"merge\" und \"move\" zugleich; bitte je Änderung nur eines."
                : $"Änderung {n}: ist weder eine Fusion (\"merge\") noch eine Verlagerung (\"move\").");
            return null;
        }
        var before = problems.Count;
        if (isMerge)
        {
            var providers = Codes(merge, n, "merge", problems)?.Select(Upper).ToList() ?? [];
            string? into = null, newName = null;
            if (c.TryGetProperty("into", out var i) && i.ValueKind == JsonValueKind.Object)
            {
                into = Text(i, "code");
                newName = Text(i, "name");
            }
            else into = Text(c, "into");
            newName ??= Text(c, "name");
            if (string.IsNullOrWhiteSpace(into))
                problems.Add($"Änderung {n}: die Fusion nennt nicht, in welchen Dienstleister (\"into\").");
            if (NameText.ProblemGerman(newName) is { } badName)
                problems.Add($"Änderung {n}: der neue Name {badName}.");
            if (providers.Distinct().Count() < 2 && problems.Count == before)
                problems.Add($"Änderung {n}: eine Fusion braucht mindestens zwei verschiedene Dienstleister.");
            if (providers.Count != providers.Distinct().Count() && problems.Count == before)
                problems.Add($"Änderung {n}: ein Dienstleister ist in der Fusion doppelt genannt.");
            return problems.Count > before ? null
                : new MergeChange(n, providers, Upper(into!), string.IsNullOrWhiteSpace(newName) ? null
                    : newName.Trim());
        }

        if (move.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"Änderung {n}: \"move\" muss ein Objekt mit \"districts\" oder \"municipalities\" sein.");
            return null;
        }
        var hasDistricts = move.TryGetProperty("districts", out var d);
        var hasMunicipalities = move.TryGetProperty("municipalities", out var m);
        List<string> districts = [], municipalities = [];
        if (hasDistricts && hasMunicipalities)
            problems.Add($"Änderung {n}: bitte entweder \"districts\" oder \"municipalities\" angeben, nicht beides.");
        else if (hasDistricts) districts = Codes(d, n, "districts", problems) ?? [];
        else if (hasMunicipalities) municipalities = Codes(m, n, "municipalities", problems) ?? [];
        if (problems.Count == before && districts.Count + municipalities.Count == 0)
            problems.Add($"Änderung {n}: die Verlagerung nennt keine Kreise oder Gemeinden.");

        List<string>? services = null;
        if (!c.TryGetProperty("services", out var s))
            problems.Add($"Änderung {n}: die Verlagerung nennt keine Leistungen (\"services\": [\"ARB\", …] "
                + "oder \"all\").");
        else if (s.ValueKind == JsonValueKind.String && s.GetString() == "all") services = null;
        else
        {
            services = Codes(s, n, "services", problems)?.Select(Upper).ToList();
            if (services is { Count: 0 })
                problems.Add($"Änderung {n}: die Liste der Leistungen ist leer (\"services\": [\"ARB\", …] "
                    + "oder \"all\").");
        }
        var to = Text(c, "to");
        if (string.IsNullOrWhiteSpace(to))
            problems.Add($"Änderung {n}: die Verlagerung nennt nicht, zu welchem Dienstleister (\"to\").");
        return problems.Count > before ? null
            : new MoveChange(n, districts.Distinct().ToList(), municipalities.Distinct().ToList(),
                services?.Distinct().ToList(), Upper(to!));
    }

    static List<string>? Codes(JsonElement e, int n, string what, List<string> problems)
    {
        if (e.ValueKind != JsonValueKind.Array
            || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(
                x.GetString())))
        {
            problems.Add($"Änderung {n}: \"{what}\" muss eine Liste von Codes in Anführungszeichen sein.");
            return null;
        }
        return e.EnumerateArray().Select(x => x.GetString()!.Trim()).ToList();
    }

    static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static string Upper(string s) => s.Trim().ToUpperInvariant();
}
