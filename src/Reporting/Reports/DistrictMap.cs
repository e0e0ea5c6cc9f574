using Reporting.Kpis;
using ScottPlot;

namespace Reporting.Reports;

/// <summary>
/// Choropleth maps of the districts (ScottPlot polygons): each district coloured by a catalogue KPI in up to five
/// classes of about equal size, a legend in German number formats, the boundaries' attribution on every map, and
/// longitude true to scale at 51.5° N. The scope's own districts are outlined within their region (or NRW).
/// </summary>
public static class DistrictMap
{
    static readonly double Cos = Math.Cos(51.5 * Math.PI / 180);

    /// <summary>Sequential blues (ColorBrewer "Blues"): more is darker, readable with colour-vision deficits.</summary>
    static readonly Color NoValue = Color.FromHex("#EFEFEF");

    static readonly Color[] Blues =
    [
        Color.FromHex("#C6DBEF"), Color.FromHex("#9ECAE1"), Color.FromHex("#6BAED6"), Color.FromHex("#3182BD"),
        Color.FromHex("#08519C"),
    ];

    /// <summary>
    /// The map a dashboard shows: cost per inhabitant by district (the OZG online rate has its bars already; <see
    /// cref="Build"/> draws any district KPI); municipality points where no boundaries were imported.
    /// </summary>
    public static DashboardCharts.Chart Map(DashboardData data) =>
        data.Boundaries.Count == 0
            ? DashboardCharts.MunicipalityMap(data)
            : Build(data, "cost_per_inhabitant", "kreis-karte", "Karte: IT-Kosten je Einwohner nach Kreis");

    public static DashboardCharts.Chart Build(DashboardData data, string kpiId, string name, string title)
    {
        DashboardCharts.EnsureFonts();
        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        var c = new DashboardCharts.Chart(name, title, plt);
        var unit = data.Definition(kpiId).Unit;
        var values = data.Of(kpiId, "district").Where(v => v.Value is not null)
            .ToDictionary(v => v.SliceKey, v => v.Value!.Value);
        var breaks = Breaks(data.Boundaries.Where(b => values.ContainsKey(b.Key)).Select(b => values[b.Key]).ToList(),
            unit);

        // Larger districts first, so a district enclosed by another (a city in its Kreis) is drawn on top.
        foreach (var d in data.Boundaries.OrderByDescending(Area))
        {
            var fill = values.TryGetValue(d.Key, out var v) ? ClassColor(Class(v, breaks), breaks.Count + 1) : NoValue;
            foreach (var ring in d.Polygons.Select(p => p[0]))
            {
                var p = plt.Add.Polygon(ring.Select(q => new Coordinates(q.Lon * Cos, q.Lat)).ToArray());
                p.FillColor = fill;
                p.LineColor = Colors.Gray;
                p.LineWidth = 0.8f;
            }
        }
        var own = data.Boundaries.Where(b => b.Own).ToList();
        if (own.Count < data.Boundaries.Count)
            foreach (var d in own)
            {
                foreach (var ring in d.Polygons.Select(p => p[0]))
                {
                    var p = plt.Add.Polygon(ring.Select(q => new Coordinates(q.Lon * Cos, q.Lat)).ToArray());
                    p.FillColor = Colors.Transparent;
                    p.LineColor = Colors.Black;
                    p.LineWidth = 3;
                }
                if (own.Count <= 3) Label(plt, d, values.TryGetValue(d.Key, out var ov)
                    ? $"{d.Name}\n{GermanFormat.Value(ov, unit)}" : $"{d.Name}\nkeine Meldung", bold: true);
            }
        else if (data.Boundaries.Count <= 12)
            foreach (var d in data.Boundaries) Label(plt, d, d.Name, bold: false);

        Legend(plt, breaks, unit, anyMissing: data.Boundaries.Any(b => !values.ContainsKey(b.Key)),
            highlighted: own.Count < data.Boundaries.Count);
        var note = plt.Add.Annotation(data.BoundaryAttribution, Alignment.LowerRight);
        note.LabelFontSize = 12;
        note.LabelBackgroundColor = Colors.White.WithAlpha(.8);
        note.LabelBorderColor = Colors.Transparent;
        note.LabelShadowColor = Colors.Transparent;

        plt.Axes.SquareUnits();
        plt.Axes.Margins(.04, .06);
        plt.Axes.Frameless();
        plt.Title($"{title}\n{data.ScopeLabel} · {data.StatusLine}", size: 17);   // Frameless hides the title too
        plt.Grid.IsVisible = false;
        plt.ShowLegend(Edge.Right);
        return c;
    }

    /// <summary>
    /// Up to five classes with about equally many districts each, their bounds rounded to a step that fits the
    /// values' range (<see cref="Step"/>). Returns the lower bounds of classes 2..n.
    /// </summary>
    internal static List<decimal> Breaks(IReadOnlyList<decimal> values, string unit)
    {
        var sorted = values.Order().ToList();
        var n = Math.Min(Blues.Length, sorted.Distinct().Count());
        if (n < 2) return [];
        var (step, finest) = (Step(sorted[^1] - sorted[0], n, unit), GermanFormat.IsRate(unit) ? .001m : .01m);
        while (true)
        {
            var breaks = new List<decimal>();
            for (var i = 1; i < n; i++)
            {
                var b = Math.Round(sorted[sorted.Count * i / n] / step) * step;
                if (b > sorted[0] && (breaks.Count == 0 || b > breaks[^1])) breaks.Add(b);
            }
            // Rounding must not merge two classes or leave one empty: a finer step where it would.
            if ((breaks.Count == n - 1 && Enumerable.Range(0, n).All(c => sorted.Any(v => Class(v, breaks) == c)))
                || step <= finest)
                return breaks;
            step /= 10;
        }
    }

    /// <summary>
    /// The largest power of ten within a class's width, never finer than 0.1 % or one cent: whole euros for NRW's
    /// spread of costs, decimals where districts lie close together, so bounds stay apart.
    /// </summary>
    static decimal Step(decimal range, int classes, string unit)
    {
        var (width, finest, step) = (range / classes, GermanFormat.IsRate(unit) ? .001m : .01m, 1m);
        while (step > width && step > finest) step /= 10;
        while (step * 10 <= width) step *= 10;
        return step;
    }

    /// <summary>The class of a value, 0 for the lowest.</summary>
    static int Class(decimal v, List<decimal> breaks) => breaks.Count(b => v >= b);

    /// <summary>
    /// A class's colour: the classes spread over the whole scale (lightest to darkest), so few classes still look
    /// apart; a single class gets a middle blue.
    /// </summary>
    internal static Color ClassColor(int cls, int classes) => classes <= 1 ? Blues[3]
        : Blues[(int)Math.Round(cls * (Blues.Length - 1) / (double)(classes - 1))];

    static void Legend(Plot plt, List<decimal> breaks, string unit, bool anyMissing, bool highlighted)
    {
        var decimals = breaks.Select(b => Scale(b, unit)).DefaultIfEmpty(0).Max();
        string F(decimal v) => GermanFormat.IsRate(unit) ? GermanFormat.Percent(v, decimals)
            : unit.StartsWith("EUR", StringComparison.Ordinal) ? GermanFormat.Euro(v, decimals)
            : GermanFormat.Number(v, decimals);
        for (var i = 0; i <= breaks.Count; i++)
        {
            var label = breaks.Count == 0 ? "alle gemeldeten Kreise"
                : i == 0 ? $"unter {F(breaks[0])}"
                : i == breaks.Count ? $"{F(breaks[^1])} und mehr"
                : $"{F(breaks[i - 1])} bis unter {F(breaks[i])}";
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = ClassColor(i, breaks.Count + 1),
                LineColor = Colors.Gray, LineWidth = 1 });
        }
        if (anyMissing)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = "keine Meldung oder nicht im Ausschnitt",
                FillColor = NoValue, LineColor = Colors.Gray, LineWidth = 1 });
        if (highlighted)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = "eigener Bereich", FillColor = Colors.Transparent,
                LineColor = Colors.Black, LineWidth = 3 });
        plt.Legend.FontSize = 13;
    }

    /// <summary>The label sits on the area centroid of the district's largest part.</summary>
    static void Label(Plot plt, DistrictOutline d, string text, bool bold)
    {
        var r = d.Polygons.Select(p => p[0]).MaxBy(r => Math.Abs(RingArea(r)))!;
        double x = 0, y = 0, a = 0;
        for (var i = 0; i < r.Length; i++)
        {
            var (p, q) = (r[i], r[(i + 1) % r.Length]);
            var cross = p.Lon * q.Lat - q.Lon * p.Lat;
            (x, y, a) = (x + (p.Lon + q.Lon) * cross, y + (p.Lat + q.Lat) * cross, a + cross);
        }
        var t = plt.Add.Text(text, x / (3 * a) * Cos, y / (3 * a));
        t.LabelFontSize = bold ? 14 : 12;
        t.LabelBold = bold;
        t.LabelAlignment = Alignment.MiddleCenter;
        t.LabelBackgroundColor = Colors.White.WithAlpha(.75);
    }

    static double Area(DistrictOutline d) => d.Polygons.Sum(p => Math.Abs(RingArea(p[0])));

    static double RingArea((double Lon, double Lat)[] r) =>
        r.Select((p, i) => p.Lon * r[(i + 1) % r.Length].Lat - r[(i + 1) % r.Length].Lon * p.Lat).Sum() / 2;

    /// <summary>The number of polygons drawn for the districts (not the highlights), for tests and checks.</summary>
    public static int DistrictPolygons(DashboardCharts.Chart c) =>
        c.Plot.GetPlottables().OfType<ScottPlot.Plottables.Polygon>().Count(p => p.FillColor != Colors.Transparent);

    /// <summary>Decimals a class bound needs in its unit (a rate as percent).</summary>
    static int Scale(decimal v, string unit)
    {
        var x = GermanFormat.IsRate(unit) ? v * 100 : v;
        var d = 0;
        while (d < 2 && x != Math.Round(x, d)) d++;
        return d;
    }
}
