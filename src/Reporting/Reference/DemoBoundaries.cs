using System.Globalization;
using System.Text;

namespace Reporting.Reference;

/// <summary>
/// Generates the demo region's fictional district boundaries (data/reference/demoland_grenzen.geojson) from the
/// municipality coordinates in demoland.json: each municipality gets its Voronoi cell (true to scale at 51.5° N,
/// clipped to an ellipse around the region), and a district is the union of its municipalities' cells.
/// </summary>
public static class DemoBoundaries
{
    public const string FileName = "demoland_grenzen.geojson";
    public const string Attribution = "Grenzen: fiktive Demoregion";
    static readonly double Cos = Math.Cos(51.5 * Math.PI / 180);
    const double Margin = .03, Snap = 1e-9;
    const int Corners = 28;

    public static string Generate(DemoReference.Definition d)
    {
        var places = d.Districts.SelectMany(k => k.Municipalities.Select(m => (k.Key, X: m.Longitude * Cos,
            Y: m.Latitude))).ToList();
        // An ellipse around the region (it encloses the points' bounding box) gives a less boxy outline.
        var (minX, maxX) = (places.Min(p => p.X), places.Max(p => p.X));
        var (minY, maxY) = (places.Min(p => p.Y), places.Max(p => p.Y));
        var (cx, cy, rx, ry) = ((minX + maxX) / 2, (minY + maxY) / 2, (maxX - minX) / 2 * Math.Sqrt(2) + Margin,
            (maxY - minY) / 2 * Math.Sqrt(2) + Margin);
        var box = Enumerable.Range(0, Corners).Select(i => 2 * Math.PI * i / Corners)
            .Select(a => (cx + rx * Math.Cos(a), cy + ry * Math.Sin(a))).ToList();
        var vertices = new List<(double X, double Y)>();
        int Index((double X, double Y) v)
        {
            var i = vertices.FindIndex(w => Math.Abs(w.X - v.X) < Snap && Math.Abs(w.Y - v.Y) < Snap);
            if (i >= 0) return i;
            vertices.Add(v);
            return vertices.Count - 1;
        }
        var edges = d.Districts.ToDictionary(k => k.Key, _ => new List<(int From, int To)>());
        for (var i = 0; i < places.Count; i++)
        {
            var cell = box;
            for (var j = 0; j < places.Count; j++)
                if (j != i) cell = Clip(cell, places[i], places[j]);
            var ids = cell.Select(Index).ToList();
            for (var k = 0; k < ids.Count; k++)
                if (ids[k] != ids[(k + 1) % ids.Count]) edges[places[i].Key].Add((ids[k], ids[(k + 1) % ids.Count]));
        }

        var json = new StringBuilder();
        json.Append("{\"type\":\"FeatureCollection\",\"name\":\"demoland_grenzen\",");
        json.Append($"\"attribution\":\"{Attribution}\",");
        json.Append("\"note\":\"Fiktive Grenzen der Demoregion, von DemoBoundaries (src/Reporting/Reference) aus den ");
        json.Append("Koordinaten in demoland.json erzeugt; keine echten Verwaltungsgrenzen.\",\"features\":[\n");
        json.AppendJoin(",\n", d.Districts.Select(k =>
        {
            // Edges two cells of one district share cancel out; what is left are the district's outlines.
            var own = edges[k.Key];
            var outline = own.Where(e => !own.Contains((e.To, e.From))).ToList();
            var rings = Rings(outline).Select(r => r.Select(v => vertices[v]).ToList()).ToList();
            var outers = rings.Where(r => Area(r) > 0).OrderByDescending(Area).ToList();
            var polygons = outers.Select(o => new List<List<(double X, double Y)>> { o }).ToList();
            foreach (var hole in rings.Where(r => Area(r) < 0))
                polygons.FirstOrDefault(p => Inside(hole[0], p[0]))?.Add(hole);
            var coordinates = string.Join(",", polygons.Select(p => "[" + string.Join(",", p.Select(Ring)) + "]"));
            return $"{{\"type\":\"Feature\",\"properties\":{{\"ags\":\"{k.Key}\",\"name\":\"{k.Name}\","
                + $"\"art\":\"{k.Kind}\"}},\"geometry\":{{\"type\":\"MultiPolygon\","
                + $"\"coordinates\":[{coordinates}]}}}}";
        }));
        json.Append("\n]}\n");
        return json.ToString();
    }

    /// <summary>Sutherland-Hodgman: the part of the polygon nearer to <paramref name="a"/> than to b.</summary>
    static List<(double X, double Y)> Clip(List<(double X, double Y)> poly, (string, double X, double Y) a,
        (string, double X, double Y) b)
    {
        var (nx, ny) = (b.X - a.X, b.Y - a.Y);
        var c = (b.X * b.X + b.Y * b.Y - a.X * a.X - a.Y * a.Y) / 2;
        double Side((double X, double Y) p) => nx * p.X + ny * p.Y - c;   // <= 0: a's side
        var result = new List<(double X, double Y)>();
        for (var i = 0; i < poly.Count; i++)
        {
            var (p, q) = (poly[i], poly[(i + 1) % poly.Count]);
            var (sp, sq) = (Side(p), Side(q));
            if (sp <= 0) result.Add(p);
            if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0))
            {
                var t = sp / (sp - sq);
                result.Add((p.X + t * (q.X - p.X), p.Y + t * (q.Y - p.Y)));
            }
        }
        return result;
    }

    static List<List<int>> Rings(List<(int From, int To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => new Queue<int>(g.Select(e => e.To)));
        var rings = new List<List<int>>();
        foreach (var start in edges.Select(e => e.From))
        {
            if (next[start].Count == 0) continue;
            var ring = new List<int> { start };
            var v = next[start].Dequeue();
            while (v != start && next.TryGetValue(v, out var q) && q.Count > 0)
            {
                ring.Add(v);
                v = q.Dequeue();
            }
            if (ring.Count >= 3) rings.Add(ring);
        }
        return rings;
    }

    static double Area(List<(double X, double Y)> r) =>
        r.Select((p, i) => p.X * r[(i + 1) % r.Count].Y - r[(i + 1) % r.Count].X * p.Y).Sum() / 2;

    static bool Inside((double X, double Y) p, List<(double X, double Y)> ring)
    {
        var inside = false;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
            if ((ring[i].Y > p.Y) != (ring[j].Y > p.Y)
                && p.X < (ring[j].X - ring[i].X) * (p.Y - ring[i].Y) / (ring[j].Y - ring[i].Y) + ring[i].X)
                inside = !inside;
        return inside;
    }

    /// <summary>A closed GeoJSON ring in longitude/latitude, 5 decimals (about a metre).</summary>
    static string Ring(List<(double X, double Y)> r) =>
        "[" + string.Join(",", r.Append(r[0]).Select(p => string.Create(CultureInfo.InvariantCulture,
            $"[{Math.Round(p.X / Cos, 5)},{Math.Round(p.Y, 5)}]"))) + "]";
}
