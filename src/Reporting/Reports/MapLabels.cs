using ScottPlot;

namespace Reporting.Reports;

/// <summary>
/// Places the map's name labels so that none overlaps another label or a marker: larger municipalities first, each
/// above, below, right or left of its marker, and a name that fits nowhere is left out (the marker stays).
/// ScottPlot does not avoid collisions itself; pixel sizes are estimated from the chart's size and DejaVu Sans.
/// </summary>
public static class MapLabels
{
    public const float FontSize = 11;
    const double CharWidth = 6.6, LineHeight = 14;
    // The plot area of a 1100 x 620 chart without frame, after margins (see MunicipalityMap).
    const double AreaWidth = 1100 / 1.16, AreaHeight = 520 / 1.30;

    public static List<(MunicipalityInfo M, Alignment Align, float Dx, float Dy)> Place(
        IReadOnlyList<MunicipalityInfo> places, Func<MunicipalityInfo, double> x, float markerSize)
    {
        var result = new List<(MunicipalityInfo, Alignment, float, float)>();
        if (places.Count == 0) return result;
        var xs = places.Select(x).ToList();
        var ys = places.Select(m => m.Latitude!.Value).ToList();
        var spanX = Math.Max(xs.Max() - xs.Min(), 1e-6);
        var spanY = Math.Max(ys.Max() - ys.Min(), 1e-6);
        var scale = Math.Min(AreaWidth / spanX, AreaHeight / spanY);   // square units: one scale for both axes
        var (left, top) = (xs.Min(), ys.Max());
        (double X, double Y) Px(MunicipalityInfo m) => ((x(m) - left) * scale, (top - m.Latitude!.Value) * scale);

        var r = markerSize / 2.0;
        var taken = places.Select(m => Px(m)).Select(p => new Box(p.X - r, p.Y - r, p.X + r, p.Y + r)).ToList();
        foreach (var m in places.OrderByDescending(m => m.Population).ThenBy(m => m.Ags, StringComparer.Ordinal))
        {
            var (px, py) = Px(m);
            var w = m.Name.Length * CharWidth;
            var gap = (float)(r + 2);
            const double half = LineHeight / 2;
            (Alignment, float, float, Box)[] candidates =
            [
                (Alignment.LowerCenter, 0, -gap, new Box(px - w / 2, py - gap - LineHeight, px + w / 2, py - gap)),
                (Alignment.UpperCenter, 0, gap, new Box(px - w / 2, py + gap, px + w / 2, py + gap + LineHeight)),
                (Alignment.MiddleLeft, gap, 0, new Box(px + gap, py - half, px + gap + w, py + half)),
                (Alignment.MiddleRight, -gap, 0, new Box(px - gap - w, py - half, px - gap, py + half)),
            ];
            foreach (var (align, dx, dy, box) in candidates)
            {
                if (taken.Any(t => t.Overlaps(box))) continue;
                taken.Add(box);
                result.Add((m, align, dx, dy));
                break;
            }
        }
        return result;
    }

    readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public bool Overlaps(Box o) => Left < o.Right && o.Left < Right && Top < o.Bottom && o.Top < Bottom;
    }
}
