using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reporting.Kpis;

/// <summary>A broken catalogue: the message names the KPI and what is wrong, so start-up fails clearly.</summary>
public sealed class KpiCatalogueException(string message) : InvalidOperationException(message);

public sealed record KpiThresholds(decimal Green, decimal Amber);

public sealed record KpiReference(decimal? Value, string Text, string Name, string Year, string Source);

/// <summary>One KPI as the catalogue defines it (data/kpis/catalogue.json).</summary>
public sealed record KpiDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Definition { get; init; }
    public required string Unit { get; init; }
    public required string Shape { get; init; }
    public Dictionary<string, JsonElement> Params { get; init; } = [];
    public required List<string> Dimensions { get; init; }
    /// <summary>'lower', 'higher' (is better) or 'neutral'.</summary>
    public string Direction { get; init; } = "neutral";
    public KpiThresholds? Thresholds { get; init; }
    public KpiReference? Reference { get; init; }

    /// <summary>Traffic light for a value: 'green', 'amber', 'red', or null where the KPI has no thresholds.</summary>
    public string? TrafficLight(decimal? value)
    {
        if (value is not { } v || Thresholds is not { } t) return null;
        return Direction switch
        {
            "lower" => v <= t.Green ? "green" : v <= t.Amber ? "amber" : "red",
            "higher" => v >= t.Green ? "green" : v >= t.Amber ? "amber" : "red",
            _ => null,
        };
    }

    internal string Text(string key) => Params.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String
        ? e.GetString()! : "";
    internal decimal? Number(string key) => Params.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Number
        ? e.GetDecimal() : null;

    /// <summary>
    /// A parameter that is either one string or a map dimension -> string; the value for a dimension.
    /// </summary>
    internal string? ForDimension(string key, string dimension, string? overrideKey = null)
    {
        if (overrideKey is not null && Params.TryGetValue(overrideKey, out var o) && o.ValueKind == JsonValueKind.Object
            && o.TryGetProperty(dimension, out var od) && od.ValueKind == JsonValueKind.String)
            return od.GetString();
        if (!Params.TryGetValue(key, out var e)) return null;
        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Object => e.TryGetProperty(dimension, out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString() : null,
            _ => null,
        };
    }
}

/// <summary>
/// The KPI catalogue: definitions as data, validated when loaded. Embedded in the binary (kpis/catalogue.json) or
/// read from Kpis:CataloguePath. The hash of its bytes goes into every snapshot.
/// </summary>
public sealed class KpiCatalogue
{
    public const string EmbeddedName = "kpis/catalogue.json";

    KpiCatalogue(IReadOnlyList<KpiDefinition> kpis, IReadOnlyDictionary<string, string> measures, string hash)
    {
        Kpis = kpis;
        Measures = measures;
        Hash = hash;
        byId = kpis.ToDictionary(k => k.Id);
    }

    readonly Dictionary<string, KpiDefinition> byId;
    public IReadOnlyList<KpiDefinition> Kpis { get; }
    /// <summary>Measure name -> German description (documentation; the SQL is kpi_input in 005_kpis.sql).</summary>
    public IReadOnlyDictionary<string, string> Measures { get; }
    public string Hash { get; }
    public KpiDefinition? Find(string id) => byId.GetValueOrDefault(id);
    public KpiDefinition this[string id] => byId.TryGetValue(id, out var k)
        ? k : throw new KeyNotFoundException($"no KPI '{id}' in the catalogue");

    public static KpiCatalogue LoadEmbedded()
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedName)
            ?? throw new KpiCatalogueException($"the KPI catalogue resource {EmbeddedName} is missing from the build");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return Parse(ms.ToArray(), "embedded " + EmbeddedName);
    }

    public static KpiCatalogue LoadFile(string path)
    {
        if (!File.Exists(path)) throw new KpiCatalogueException($"KPI catalogue {path} does not exist");
        return Parse(File.ReadAllBytes(path), path);
    }

    sealed record FileModel(Dictionary<string, string>? Measures, List<KpiDefinition>? Kpis);

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static KpiCatalogue Parse(byte[] bytes, string origin)
    {
        FileModel? model;
        try { model = JsonSerializer.Deserialize<FileModel>(bytes, Json); }
        catch (JsonException e) { throw new KpiCatalogueException(
            $"KPI catalogue {origin} is not valid JSON: {e.Message}"); }
        if (model?.Kpis is not { Count: > 0 } kpis) throw new KpiCatalogueException(
            $"KPI catalogue {origin} defines no KPIs (property \"kpis\")");
        var errors = Validate(kpis);
        if (errors.Count > 0)
            throw new KpiCatalogueException($"KPI catalogue {origin} is invalid:\n  - "
                + string.Join("\n  - ", errors));
        return new KpiCatalogue(kpis, model.Measures ?? [],
            Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
    }

    static readonly string[] Directions = ["lower", "higher", "neutral"];

    /// <summary>Every problem found, each naming the KPI; empty when the catalogue is usable.</summary>
    public static List<string> Validate(IReadOnlyList<KpiDefinition> kpis)
    {
        var errors = new List<string>();
        var seen = new HashSet<string>();
        var dims = new Dictionary<string, HashSet<string>>();
        for (var i = 0; i < kpis.Count; i++)
        {
            var k = kpis[i];
            var at = $"KPI #{i + 1} '{k.Id}'";
            if (string.IsNullOrWhiteSpace(k.Id)
                || !System.Text.RegularExpressions.Regex.IsMatch(k.Id, "^[a-z][a-z0-9_]*$"))
                errors.Add($"{at}: id must be lower_snake_case");
            if (!seen.Add(k.Id)) errors.Add($"{at}: id is used twice");
            if (string.IsNullOrWhiteSpace(k.Name)) errors.Add($"{at}: name (German) is missing");
            if (string.IsNullOrWhiteSpace(k.Definition)) errors.Add($"{at}: definition is missing");
            if (string.IsNullOrWhiteSpace(k.Unit)) errors.Add($"{at}: unit is missing");
            if (!Directions.Contains(k.Direction)) errors.Add(
                $"{at}: direction '{k.Direction}' is not one of {string.Join(", ", Directions)}");
            if (k.Dimensions is not { Count: > 0 }) errors.Add($"{at}: no dimensions");
            foreach (var d in k.Dimensions ?? [])
                if (!KpiDimensions.All.Contains(d)) errors.Add(
                    $"{at}: unknown dimension '{d}' (known: {string.Join(", ", KpiDimensions.All)})");
            if (k.Thresholds is { } t)
            {
                if (k.Direction == "lower" && t.Green > t.Amber) errors.Add(
                    $"{at}: lower is better, so thresholds.green must be <= thresholds.amber");
                if (k.Direction == "higher" && t.Green < t.Amber) errors.Add(
                    $"{at}: higher is better, so thresholds.green must be >= thresholds.amber");
                if (k.Direction == "neutral") errors.Add($"{at}: thresholds need a direction (lower or higher)");
            }
            if (k.Reference is { } r
                && string.IsNullOrWhiteSpace(r.Source)) errors.Add($"{at}: reference value without a source");
            if (!KpiShapes.Known.Contains(k.Shape))
                errors.Add($"{at}: unknown shape '{k.Shape}' (known: {string.Join(", ", KpiShapes.Known)})");
            else
                errors.AddRange(KpiShapes.Validate(k, dims).Select(e => $"{at}: {e}"));
            dims[k.Id] = (k.Dimensions ?? []).ToHashSet();
        }
        return errors;
    }

    internal static string Num(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
