using Reporting.Kpis;
using ScottPlot;

namespace Reporting.Reports;

/// <summary>
/// The dashboard's charts, built with ScottPlot from <see cref="DashboardData"/>: German labels and numbers,
/// one colour-blind-safe palette (Okabe-Ito; viridis for continuous scales), titles that state period and completeness.
/// </summary>
public static class DashboardCharts
{
    public const int Width = 1100, Height = 620;

    /// <summary>Okabe-Ito: distinguishable with the common colour-vision deficiencies.</summary>
    public static readonly Color[] Palette =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#E69F00"), Color.FromHex("#009E73"), Color.FromHex("#CC79A7"),
        Color.FromHex("#56B4E9"), Color.FromHex("#D55E00"), Color.FromHex("#F0E442"), Color.FromHex("#000000"),
    ];
    static readonly Color Accent = Palette[5];   // vermillion: reference lines
    static readonly ScottPlot.Colormaps.Viridis Viridis = new();

    static DashboardCharts() => EnsureFonts();

    /// <summary>ScottPlot would pick "DejaVu Serif"; DejaVu Sans is on every CI machine (fonts-dejavu-core).</summary>
    public static void EnsureFonts() => Fonts.Default = "DejaVu Sans";

    /// <summary>
    /// A chart and its pixel size: bar charts grow taller with their number of bars so labels never overlap.
    /// </summary>
    public sealed record Chart(string Name, string Title, Plot Plot)
    {
        public int Height { get; set; } = DashboardCharts.Height;
        public byte[] Png() => Plot.GetImageBytes(Width, Height, ImageFormat.Png);
        public string Svg() => Plot.GetSvgXml(Width, Height);
    }

    /// <summary>Height for a chart of n horizontal bars (or rows): few bars get a low chart, not fat bars.</summary>
    static int HeightFor(int rows) => rows <= 4 ? 230 + rows * 50 : Math.Max(Height, 150 + rows * 20);

    /// <summary>At most this many bars; the rest is summed into one "übrige" bar so labels never overlap.</summary>
    internal const int MaxBars = 15;

    /// <summary>Up to this many own bars a scope's chart shows the comparisons as bars beside them.</summary>
    internal const int FewItems = 3;

    static readonly Color ComparisonColor = Colors.Gray;

    /// <summary>A provider's few bars without any comparison: the reader is told why, not left guessing.</summary>
    static string Withheld(DashboardData data, int own, int comparisons) =>
        data.Scope.Kind == KpiScopeKind.Provider && own <= FewItems && comparisons == 0
            ? " · NRW-Vergleich nicht ausgewiesen (Anonymitätsregel)" : "";

    /// <summary>
    /// The legend goes below the plot, the chart grows for it: inside, it covered the lowest bars of a long chart.
    /// </summary>
    static void LegendBelow(Plot plt, Chart c)
    {
        plt.ShowLegend(Edge.Bottom);
        c.Height += 70;
    }

    /// <summary>
    /// The comparisons a small scope's bars stand beside, as the reader let the scope see them: the NRW value
    /// ("NRW-Vergleich") and the providers' median (band mean for a provider). Nothing for NRW itself.
    /// </summary>
    static List<(string Label, double Value)> Comparisons(DashboardData data, string kpiId)
    {
        var list = new List<(string, double)>();
        if (data.Scope.Kind == KpiScopeKind.Nrw) return list;
        if (data.One(kpiId, "nrw", "NRW")?.Value is { } nrw) list.Add(("NRW-Vergleich", (double)nrw));
        if (data.Comparisons.FirstOrDefault(c => c.KpiId == kpiId && c.Dimension == "provider") is { } cmp)
            list.Add((cmp.Basis == "exact" ? "Median der Dienstleister" : "Mitte der Dienstleister (Bandmittel)",
                (double)cmp.Median));
        return list;
    }

    public static IReadOnlyList<Chart> Build(DashboardData data) =>
    [
        CostPerWorkstation(data), CostTrend(data), CostStructure(data), OzgByDistrict(data), OzgHeatMap(data),
        Consolidation(data), EconomiesOfScale(data), DistrictMap.Map(data),
    ];

    static Plot NewPlot(DashboardData data, string title)
    {
        EnsureFonts();
        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        plt.Title(TitleText(data, title), size: 17);
        plt.Axes.Title.Label.Bold = true;
        plt.Grid.MajorLineColor = Colors.Black.WithAlpha(.08);
        // The value axis's last tick label is centred on the plot's right edge: room for its other half.
        plt.Axes.Right.MinimumSize = 40;
        return plt;
    }

    static string TitleText(DashboardData data, string title) => $"{title}\n{data.ScopeLabel} · {data.StatusLine}";

    /// <summary>
    /// No data: the message alone, low and without empty axes. A provider from whom the NRW aggregates are withheld
    /// is told that, not "no data".
    /// </summary>
    static Chart Empty(DashboardData data, Chart c)
    {
        var text = data.Scope.Kind == KpiScopeKind.Provider && !data.Values.Any(v => v.Dimension == "nrw")
            ? $"Vergleich zurückgehalten: weniger als {data.AnonymityMinProviders} Anbieter\n(Anonymitätsregel)"
            : data.Scope.Kind == KpiScopeKind.Provider && c.Name is "ozg-online-quote" or "ozg-heatmap"
                ? "Werte nach Kreis werden Dienstleistern\nnicht ausgewiesen (Anonymitätsregel)"
                : "Keine Daten für diesen Ausschnitt";
        var a = c.Plot.Add.Annotation(text, Alignment.MiddleCenter);
        a.LabelFontSize = 20;
        a.LabelBackgroundColor = Colors.Transparent;
        a.LabelBorderColor = Colors.Transparent;
        a.LabelShadowColor = Colors.Transparent;
        var title = c.Plot.Axes.Title.Label.Text;
        c.Plot.Axes.Frameless();
        c.Plot.Title(title, size: 17);   // Frameless hides the title too
        c.Plot.Grid.IsVisible = false;
        c.Height = 300;
        return c;
    }

    static void EuroAxis(IAxis axis)
        => axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = GermanFormat.EuroShort,
        };
    static void PercentAxis(IAxis axis) => axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
    { LabelFormatter = v => v > 1.0001 ? "" : (v * 100).ToString("0", GermanFormat.Culture) + " %" };

    /// <summary>Horizontal bars with names on the left, largest on top.</summary>
    static void HorizontalBars(Plot plt, IReadOnlyList<(string Label, double Value, string Text, Color Color)> rows)
    {
        var bars = rows.Select((r, i) => new Bar
        {
            Position = rows.Count - 1 - i, Value = r.Value, FillColor = r.Color, LineWidth = 0, Label = r.Text,
                Size = 0.7,
        }).ToList();
        var bp = plt.Add.Bars(bars);
        bp.Horizontal = true;
        bp.ValueLabelStyle.FontSize = rows.Count > 20 ? 11 : 12;
        bp.ValueLabelStyle.BackgroundColor = Colors.White.WithAlpha(.85);   // readable across reference lines
        plt.Axes.Left.TickLabelStyle.FontSize = rows.Count > 20 ? 11 : 12;
        plt.Axes.Left.SetTicks(rows.Select((_, i) => (double)(rows.Count - 1 - i)).ToArray(),
            rows.Select(r => Shorten(r.Label, 42)).ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        plt.Axes.Margins(left: 0, right: .18, bottom: .02, top: .02);
        plt.Grid.YAxisStyle.MajorLineStyle.Width = 0;
    }

    static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    internal static Chart CostPerWorkstation(DashboardData data)
    {
        var title = "IT-Kosten je Arbeitsplatz nach Dienstleister";
        var plt = NewPlot(data, title);
        var c = new Chart("kosten-je-arbeitsplatz", title, plt);
        var rows = data.Of("cost_per_workstation", "provider").Where(v => v.Value is not null).OrderByDescending(v
            => v.Value).ToList();
        if (rows.Count == 0) return Empty(data, c);
        var bench = (double)data.BenchmarkCostPerWorkstation;
        var bars = rows.Select(v => (v.SliceLabel, (double)v.Value!, GermanFormat.Euro(v.Value!.Value),
            (double)v.Value! > bench ? Palette[1] : Palette[0])).ToList();
        // Few own bars: the comparisons become labelled bars beside them instead of one bar filling the plot.
        var beside = rows.Count <= FewItems ? Comparisons(data, "cost_per_workstation") : [];
        bars.AddRange(beside.Select(b => (b.Label, b.Value, GermanFormat.Euro((decimal)b.Value), ComparisonColor)));
        c.Height = HeightFor(bars.Count);
        HorizontalBars(plt, bars);
        var line = plt.Add.VerticalLine(bench, 2, Accent, LinePattern.Dashed);
        line.LegendText = $"Vergleichswert {GermanFormat.Euro(data.BenchmarkCostPerWorkstation)} "
            + $"({data.BenchmarkSource})";
        if (beside.Count == 0 && data.One("cost_per_workstation", "nrw", "NRW")?.Value is { } nrw)
        {
            var l2 = plt.Add.VerticalLine((double)nrw, 2, Palette[7], LinePattern.Dotted);
            l2.LegendText = $"NRW {GermanFormat.Euro(nrw)}";
        }
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "über dem Vergleichswert", FillColor = Palette[1] });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "höchstens Vergleichswert", FillColor = Palette[0] });
        if (beside.Count > 0)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = "Vergleich", FillColor = ComparisonColor });
        EuroAxis(plt.Axes.Bottom);
        plt.XLabel("Euro je IT-Arbeitsplatz und Jahr" + Withheld(data, rows.Count, beside.Count));
        LegendBelow(plt, c);
        return c;
    }

    internal static Chart CostTrend(DashboardData data)
    {
        var title = "Entwicklung der IT-Gesamtkosten";
        var plt = NewPlot(data, title);
        var c = new Chart("kostenentwicklung", title, plt);
        var points = data.CostTrend.Where(p => p.TotalCost is not null).ToList();
        if (points.Count == 0) return Empty(data, c);
        // One period is no development: its figure, and when the line will appear, instead of a lone dot.
        if (points.Count == 1)
            return Note(data, c, $"{points[0].Period}: {GermanFormat.EuroShort((double)points[0].TotalCost!)}"
                + (points[0].Provisional ? " (vorläufig)" : "")
                + "\nDie Entwicklung erscheint ab dem zweiten Berichtszeitraum.", 20);
        // Periods as categories: no date axis, so no US date labels.
        var xs = points.Select((_, i) => (double)i).ToArray();
        var ys = points.Select(p => (double)p.TotalCost!).ToArray();
        var line = plt.Add.Scatter(xs, ys, Palette[0]);
        line.LineWidth = 3;
        line.MarkerSize = 10;
        for (var i = 0; i < points.Count; i++)
        {
            var t = plt.Add.Text(GermanFormat.EuroShort(ys[i]) + (points[i].Provisional ? "\n(vorläufig)" : ""), xs[i],
                ys[i]);
            t.LabelFontSize = 13;
            t.LabelAlignment = Alignment.LowerCenter;
            t.OffsetY = -10;
        }
        plt.Axes.Bottom.SetTicks(xs, points.Select(p => p.Period).ToArray());
        EuroAxis(plt.Axes.Left);
        plt.Axes.Margins(.15, .25);
        if (ys.Min() > 0) plt.Axes.SetLimitsY(0, ys.Max() * 1.25);
        plt.YLabel("IT-Gesamtkosten");
        return c;
    }

    static Chart CostStructure(DashboardData data)
    {
        var title = "Kostenstruktur nach Kostenart und Dienstleister";
        var plt = NewPlot(data, title);
        var c = new Chart("kostenstruktur", title, plt);
        var rows = data.Of("cost_share_by_cost_type", "provider_cost_type").Where(v => v.Value is not null).ToList();
        if (rows.Count == 0) return Empty(data, c);
        var types = data.Of("cost_share_by_cost_type", "cost_type").OrderBy(v => CostTypeOrder(v.SliceKey)).Select(v
            => (v.SliceKey, v.SliceLabel)).ToList();
        // NRW's cost-type rows may be withheld (anonymity): the provider's own codes then get their German names here.
        foreach (var k in rows.Select(r => r.SliceKey.Split('|')[1]).Distinct()
                     .Where(k => types.All(t => t.SliceKey != k))
                     .OrderBy(CostTypeOrder).ThenBy(k => k, StringComparer.Ordinal))
            types.Add((k, CostTypeNames.GetValueOrDefault(k, k)));
        var providers = rows.GroupBy(r => r.SliceKey.Split('|')[0])
            .Select(g => (Code: g.Key, Label: ProviderLabel(data, g.Key)))
            .OrderBy(p => p.Label, GermanFormat.Order).ToList();
        // Beside a scope's own providers, the NRW shares by cost type as a labelled comparison bar.
        var nrwShares = data.Of("cost_share_by_cost_type", "cost_type").Where(v => v.Value is not null).ToList();
        if (data.Scope.Kind != KpiScopeKind.Nrw && nrwShares.Count > 0)
        {
            providers.Add(("NRW", "NRW-Vergleich"));
            rows.AddRange(nrwShares.Select(v => v with { SliceKey = $"NRW|{v.SliceKey}" }));
        }
        var bars = new List<Bar>();
        for (var p = 0; p < providers.Count; p++)
        {
            double start = 0;
            for (var t = 0; t < types.Count; t++)
            {
                var v = rows.FirstOrDefault(r => r.SliceKey == $"{providers[p].Code}|{types[t].SliceKey}")?.Value;
                if (v is null) continue;
                bars.Add(new Bar { Position = providers.Count - 1 - p, ValueBase = start, Value = start + (double)v,
                    FillColor = Palette[t % Palette.Length], LineWidth = 0, Size = .7 });
                start += (double)v;
            }
        }
        c.Height = HeightFor(providers.Count + 3);   // room for the legend below
        var bp = plt.Add.Bars(bars);
        bp.Horizontal = true;
        plt.Axes.Left.SetTicks(providers.Select((_, i) => (double)(providers.Count - 1 - i)).ToArray(),
            providers.Select(p => Shorten(p.Label, 42)).ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        for (var t = 0; t < types.Count; t++)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = types[t].SliceLabel,
                FillColor = Palette[t % Palette.Length] });
        plt.ShowLegend(Edge.Bottom);
        PercentAxis(plt.Axes.Bottom);
        plt.Axes.SetLimitsX(0, 1.03);
        plt.XLabel("Anteil an den IT-Gesamtkosten des Dienstleisters");
        return c;
    }

    static readonly Dictionary<string, string> CostTypeNames = new()
    {
        ["personal"] = "Personal", ["hardware"] = "Hardware", ["software"] = "Software und Lizenzen",
        ["extern"] = "Externe Dienstleistungen", ["sonstige"] = "Sonstiges",
    };

    static int CostTypeOrder(string code)
        => Array.IndexOf(["personal", "hardware", "software", "extern", "sonstige"], code) is var i and >= 0 ? i : 99;

    static string ProviderLabel(DashboardData data, string code) =>
        data.Values.FirstOrDefault(v => v.Dimension == "provider" && v.SliceKey == code)?.SliceLabel ?? code;

    static Chart OzgByDistrict(DashboardData data)
    {
        var title = "OZG-Online-Quote nach Kreis";
        var plt = NewPlot(data, title);
        var c = new Chart("ozg-online-quote", title, plt);
        var rows = data.Of("ozg_online_rate", "district").Where(v => v.Value is not null).OrderByDescending(v
            => v.Value).ToList();
        if (rows.Count == 0) return Empty(data, c);
        var bars = rows.Select(v => (v.SliceLabel, (double)v.Value!, GermanFormat.Percent(v.Value!.Value),
            Viridis.GetColor((double)v.Value!.Value * .85))).ToList();
        var beside = rows.Count <= FewItems ? Comparisons(data, "ozg_online_rate") : [];
        bars.AddRange(beside.Select(b => (b.Label, b.Value, GermanFormat.Percent((decimal)b.Value), ComparisonColor)));
        c.Height = HeightFor(bars.Count);
        HorizontalBars(plt, bars);
        if (beside.Count == 0 && data.One("ozg_online_rate", "nrw", "NRW")?.Value is { } nrw)
        {
            var l = plt.Add.VerticalLine((double)nrw, 2, Accent, LinePattern.Dashed);
            l.LegendText = $"NRW {GermanFormat.Percent(nrw)}";
            LegendBelow(plt, c);
        }
        PercentAxis(plt.Axes.Bottom);
        plt.Axes.SetLimitsX(0, 1.12);
        plt.XLabel("Anteil der OZG-Leistungen mit Reifegrad 2 oder höher");
        return c;
    }

    internal static Chart OzgHeatMap(DashboardData data)
    {
        var title = "OZG-Online-Quote nach Themenfeld und Kreis";
        var plt = NewPlot(data, title);
        var c = new Chart("ozg-heatmap", title, plt);
        if (data.OzgHeat.Count == 0) return Empty(data, c);
        var topics = data.OzgHeat.Select(h => h.Topic).Distinct().Order(GermanFormat.Order).ToList();
        var columns = data.OzgHeat.Where(h => h.ColumnKey != "NRW").Select(h
            => (h.ColumnKey, h.ColumnLabel)).Distinct().OrderBy(x => x.ColumnKey).ToList();
        // A provider below the anonymity minimum gets no NRW cells: no empty NRW column either.
        if (data.OzgHeat.Any(h => h.ColumnKey == "NRW")) columns.Add(("NRW", "NRW gesamt"));
        if (columns.Count == 0) return Empty(data, c);
        var z = new double[topics.Count, columns.Count];
        for (var r = 0; r < topics.Count; r++)
            for (var k = 0; k < columns.Count; k++)
                z[r, k] = data.OzgHeat.FirstOrDefault(h => h.Topic == topics[r]
                    && h.ColumnKey == columns[k].ColumnKey) is { } cell ? (double)cell.OnlineRate : double.NaN;
        var hm = plt.Add.Heatmap(z);
        hm.Colormap = Viridis;
        hm.ManualRange = new ScottPlot.Range(0, 1);
        hm.NaNCellColor = Colors.White;
        var bar = plt.Add.ColorBar(hm);
        bar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v
            => (v * 100).ToString("0", GermanFormat.Culture) + " %" };
        // Ticks at the cell centres, from where ScottPlot actually draws the cells (row 0 at the top).
        var lim = hm.GetAxisLimits();
        var rowHeight = (lim.Top - lim.Bottom) / topics.Count;
        var colWidth = (lim.Right - lim.Left) / columns.Count;
        plt.Axes.Left.SetTicks(topics.Select((_, i) => lim.Top - (i + .5) * rowHeight).ToArray(),
            topics.Select(t => Shorten(t, 34)).ToArray());
        plt.Axes.Bottom.SetTicks(columns.Select((_, i) => lim.Left + (i + .5) * colWidth).ToArray(),
            columns.Select(x => Shorten(x.ColumnLabel, 24)).ToArray());
        if (columns.Count > 6)
        {
            // Many districts: names vertical, with the room for them reserved (ScottPlot does not measure rotated
            // labels).
            plt.Axes.Bottom.TickLabelStyle.Rotation = 90;
            plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plt.Axes.Bottom.TickLabelStyle.FontSize = columns.Count > 20 ? 10 : 12;
            plt.Axes.Bottom.MinimumSize = 150;
            c.Height = 820;
        }
        plt.Axes.Left.MajorTickStyle.Length = 0;
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Axes.Margins(0, 0);
        plt.Grid.IsVisible = false;
        return c;
    }

    internal static Chart Consolidation(DashboardData data)
    {
        var title = data.Scope.Kind == KpiScopeKind.Nrw ? "Konsolidierungspotenzial nach Leistung (Euro je Jahr)"
            : "NRW-Vergleich: Konsolidierungspotenzial nach Leistung (Euro je Jahr)";
        var plt = NewPlot(data, title);
        var c = new Chart("konsolidierungspotenzial", title, plt);
        var all = data.Of("consolidation_potential", "service").Where(v => v.Value > 0)
            .OrderByDescending(v => v.Value).ToList();
        if (all.Count == 0) return Empty(data, c);
        var top = all.Count <= MaxBars ? all : all.Take(MaxBars - 1).ToList();
        var bars = top.Select(v =>
            (v.SliceLabel, (double)v.Value!, GermanFormat.EuroShort((double)v.Value!), Palette[2])).ToList();
        if (top.Count < all.Count)
        {
            var rest = all.Skip(top.Count).Sum(v => (double)v.Value!);
            bars.Add(($"übrige ({all.Count - top.Count} Leistungen)", rest, GermanFormat.EuroShort(rest),
                ComparisonColor));
        }
        c.Height = HeightFor(bars.Count);
        HorizontalBars(plt, bars);
        EuroAxis(plt.Axes.Bottom);
        plt.XLabel(ConsolidationMethod(data)
                   + (data.One("consolidation_potential", "nrw", "NRW")?.Value is { } total
                       ? $" · NRW gesamt {GermanFormat.EuroShort((double)total)}" : ""));
        return c;
    }

    /// <summary>
    /// The method in words, with the quantile the engine used: the snapshot's Kpis:BenchmarkQuantile override, else
    /// the catalogue's parameter, else the engine's default (KpiShapes).
    /// </summary>
    internal static string ConsolidationMethod(DashboardData data) =>
        $"Einsparung bis zum Benchmark ({GermanFormat.QuantileLabel(BenchmarkQuantile(data))} der Stückkosten"
        + " je Leistung)";

    internal static decimal BenchmarkQuantile(DashboardData data) =>
        data.BenchmarkQuantile ?? data.Definition("consolidation_potential").Number("benchmark_quantile") ?? 0.25m;

    internal static Chart EconomiesOfScale(DashboardData data)
    {
        var title = "Skaleneffekte: Stückkosten nach versorgtem Volumen";
        var plt = NewPlot(data, title);
        var c = new Chart("skaleneffekte", title, plt);
        var pts = data.Of("unit_cost", "provider_service").Where(v => v.Value > 0 && v.Denominator > 0).ToList();
        if (pts.Count == 0) return Empty(data, c);
        var xs = pts.Select(p => (double)p.Denominator!).ToArray();
        var ys = pts.Select(p => (double)p.Value!).ToArray();
        var m = plt.Add.ScatterPoints(xs, ys, Palette[0]);
        m.MarkerSize = 9;
        m.LegendText = "Dienstleister × Leistung";
        if (PowerFit.Of(xs, ys) is { } f)
        {
            var line = f.Line(xs.Min(), xs.Max());
            var fit = plt.Add.ScatterLine(line.Select(p => p.X).ToArray(), line.Select(p => p.Y).ToArray(), Accent);
            fit.LineWidth = 3;
            fit.LegendText = $"Trend: Potenzfunktion y = a·x^b (kleinste Quadrate, log.), b = "
                + $"{GermanFormat.Number(f.B, 2)},"
                             + $" R² = {GermanFormat.Number(f.R2, 2)}";
        }
        plt.Axes.SetLimitsY(0, ys.Max() * 1.08);   // unit costs are never negative: no room below zero
        EuroAxis(plt.Axes.Left);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v
            => v.ToString("N0", GermanFormat.Culture) };
        plt.XLabel("Versorgte Arbeitsplätze je Dienstleister und Leistung");
        plt.YLabel("Stückkosten je Arbeitsplatz");
        plt.ShowLegend(Alignment.UpperRight);
        return c;
    }

    /// <summary>One municipality (a city): no one-dot map, its figure as a labelled key figure.</summary>
    static Chart KeyFigure(DashboardData data, Chart c, MunicipalityInfo m, double? rate) =>
        Note(data, c, $"{m.Name}\nOZG-Online-Quote: "
                      + (rate is { } r ? GermanFormat.Percent((decimal)r)
                          // A provider reads no territory rows: withheld, not missing.
                          : data.Scope.Kind == KpiScopeKind.Provider ? "nicht ausgewiesen (Anonymitätsregel)"
                          : "keine Meldung"), 24);

    /// <summary>A chart that is only a text (a key figure or why there is no chart), low and without axes.</summary>
    static Chart Note(DashboardData data, Chart c, string text, float size)
    {
        c.Height = 300;
        var a = c.Plot.Add.Annotation(text, Alignment.MiddleCenter);
        a.LabelFontSize = size;
        a.LabelBackgroundColor = Colors.Transparent;
        a.LabelBorderColor = Colors.Transparent;
        a.LabelShadowColor = Colors.Transparent;
        c.Plot.Axes.Frameless();
        c.Plot.Title(TitleText(data, c.Title), size: 17);   // Frameless hides the title too
        c.Plot.Grid.IsVisible = false;
        return c;
    }

    /// <summary>
    /// Longitude scaled to be true to scale at 51° N (a degree of longitude is 0.63 degrees of latitude there).
    /// </summary>
    static double X(MunicipalityInfo m) => m.Longitude!.Value * Math.Cos(51.5 * Math.PI / 180);

    internal static Chart MunicipalityMap(DashboardData data)
    {
        var title = "Kommunen nach OZG-Online-Quote";
        var plt = NewPlot(data, title);
        var c = new Chart("kommunen-karte", title, plt);
        var rates = data.Of("ozg_online_rate", "municipality").Where(v => v.Value is not null).ToDictionary(v
            => v.SliceKey, v => (double)v.Value!);
        var placed = data.Municipalities.Where(m => m.Longitude is not null && m.Latitude is not null).ToList();
        if (placed.Count == 0) return Empty(data, c);
        if (placed.Count == 1)
            return KeyFigure(data, c, placed[0], rates.TryGetValue(placed[0].Ags, out var own) ? own : null);
        // Five classes, viridis; grey for municipalities without a report.
        (double From, double To, string Label)[] classes = [(0, .2, "unter 20 %"), (.2, .4, "20 bis 40 %"),
            (.4, .6, "40 bis 60 %"), (.6, .8, "60 bis 80 %"), (.8, 1.01, "80 % und mehr")];
        var size = Math.Clamp(40 - placed.Count / 12, 7, 22);
        var grey = placed.Where(m => !rates.ContainsKey(m.Ags)).ToList();
        if (grey.Count > 0)
        {
            var g = plt.Add.Markers(grey.Select(m => X(m)).ToArray(), grey.Select(m => m.Latitude!.Value).ToArray(),
                MarkerShape.FilledCircle, size, Colors.LightGray);
            g.LegendText = "keine Meldung";
        }
        for (var i = 0; i < classes.Length; i++)
        {
            var (from, to, label) = classes[i];
            var ms = placed.Where(m => rates.TryGetValue(m.Ags, out var r) && r >= from && r < to).ToList();
            var color = Viridis.GetColor(i / 4.0 * .9);
            if (ms.Count > 0)
            {
                var mk = plt.Add.Markers(ms.Select(m => X(m)).ToArray(), ms.Select(m => m.Latitude!.Value).ToArray(),
                    MarkerShape.FilledCircle, size, color);
                mk.MarkerLineColor = Colors.Black.WithAlpha(.4);
                mk.MarkerLineWidth = 1;
            }
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = label, MarkerShape = MarkerShape.FilledCircle,
                MarkerFillColor = color, MarkerSize = 12, LineWidth = 0 });
        }
        if (placed.Count <= 40)
            foreach (var (m, align, dx, dy) in MapLabels.Place(placed, X, size))
            {
                var t = plt.Add.Text(m.Name, X(m), m.Latitude!.Value);
                t.LabelFontSize = MapLabels.FontSize;
                t.LabelAlignment = align;
                t.OffsetX = dx;
                t.OffsetY = dy;
            }
        plt.Axes.SquareUnits();
        plt.Axes.Margins(.08, .15);
        plt.Axes.Frameless();
        plt.Title(TitleText(data, title), size: 17);   // Frameless hides the title too
        plt.Grid.IsVisible = false;
        plt.ShowLegend(Alignment.UpperLeft);
        return c;
    }
}
