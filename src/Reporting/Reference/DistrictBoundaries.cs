using System.Text.Json;

namespace Reporting.Reference;

/// <summary>
/// District boundaries as GeoJSON (a FeatureCollection of Polygon or MultiPolygon features with properties ags and
/// name, longitude/latitude), read with System.Text.Json. The official file is BKG's VG250 (licence dl-de/by-2-0):
/// every map drawn from it shows <see cref="BkgAttribution"/>; a file may name its own in a top-level "attribution".
/// </summary>
public static class DistrictBoundaries
{
    public const string FileName = "nrw_kreise_grenzen.geojson";
    public const string BkgAttribution = "© GeoBasis-DE / BKG";

    public sealed record Feature(string DistrictKey, string Name, string GeometryJson);
    public sealed record Collection(string Attribution, IReadOnlyList<Feature> Features);

    /// <exception cref="InvalidDataException">No usable GeoJSON; the message names the file and why.</exception>
    public static Collection Read(string path)
    {
        var file = Path.GetFileName(path);
        try
        {
            using var s = File.OpenRead(path);
            using var doc = JsonDocument.Parse(s);
            var root = doc.RootElement;
            var attribution = root.TryGetProperty("attribution", out var a) && a.ValueKind == JsonValueKind.String
                ? a.GetString()! : BkgAttribution;
            var features = new List<Feature>();
            foreach (var f in Member(root, "features", JsonValueKind.Array).EnumerateArray())
            {
                var p = Member(f, "properties", JsonValueKind.Object);
                var key = Member(p, "ags", JsonValueKind.String).GetString()!;
                var name = p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                    ? n.GetString()! : key;
                var g = Member(f, "geometry", JsonValueKind.Object);
                if (Polygons(g).Count == 0) throw new InvalidDataException($"district {key} has no polygon");
                features.Add(new Feature(key, name, g.GetRawText()));
            }
            return new Collection(attribution, features);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}, line {(e.LineNumber ?? 0) + 1}: not valid JSON", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
    }

    /// <summary>The polygons of a Polygon or MultiPolygon geometry: each a list of rings, the outline first.</summary>
    public static List<List<(double Lon, double Lat)[]>> Polygons(string geometryJson)
    {
        using var doc = JsonDocument.Parse(geometryJson);
        return Polygons(doc.RootElement);
    }

    static List<List<(double Lon, double Lat)[]>> Polygons(JsonElement geometry)
    {
        var type = Member(geometry, "type", JsonValueKind.String).GetString();
        var coordinates = Member(geometry, "coordinates", JsonValueKind.Array);
        return type switch
        {
            "Polygon" => [Polygon(coordinates)],
            "MultiPolygon" => coordinates.EnumerateArray().Select(Polygon).ToList(),
            _ => throw new InvalidDataException($"a geometry of type {type} is neither Polygon nor MultiPolygon"),
        };
    }

    static List<(double, double)[]> Polygon(JsonElement rings) =>
        rings.EnumerateArray().Select(r => r.EnumerateArray().Select(Position).ToArray())
            .Where(r => r.Length >= 3).ToList();

    static (double, double) Position(JsonElement p) =>
        p.ValueKind == JsonValueKind.Array && p.GetArrayLength() >= 2
            && p[0].ValueKind == JsonValueKind.Number && p[1].ValueKind == JsonValueKind.Number
            ? (p[0].GetDouble(), p[1].GetDouble())
            : throw new InvalidDataException("a position is not [longitude, latitude]");

    static JsonElement Member(JsonElement e, string name, JsonValueKind kind) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == kind
            ? v : throw new InvalidDataException($"\"{name}\" is missing or not a{(kind == JsonValueKind.Array
                ? "n array" : kind == JsonValueKind.Object ? "n object" : " string")}");
}
