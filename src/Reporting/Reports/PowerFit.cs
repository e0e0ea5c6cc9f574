namespace Reporting.Reports;

/// <summary>
/// Unit cost over volume as a power law y = a·x^b, fitted by least squares on ln x and ln y. Positive by
/// construction, so the trend never shows negative costs; b reads as an elasticity (+1 % volume: about b % cost).
/// R² is that of the fit on the logarithms, the line that is drawn.
/// </summary>
public sealed record PowerFit(double A, double B, double R2)
{
    /// <summary>The fit; null with fewer than 3 points or 2 distinct volumes, or a value not above zero.</summary>
    public static PowerFit? Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Count < 3 || x.Concat(y).Any(v => !(v > 0)) || x.Distinct().Count() < 2)
            return null;
        var lx = x.Select(v => Math.Log(v)).ToArray();
        var ly = y.Select(v => Math.Log(v)).ToArray();
        var (mx, my) = (lx.Average(), ly.Average());
        var sxy = lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my));
        var sxx = lx.Sum(v => (v - mx) * (v - mx));
        var syy = ly.Sum(v => (v - my) * (v - my));
        var b = sxy / sxx;
        return new PowerFit(Math.Exp(my - b * mx), b, syy == 0 ? 0 : sxy * sxy / (sxx * syy));
    }

    public double At(double x) => A * Math.Pow(x, B);

    /// <summary>Points of the curve across [from, to] only, spaced evenly on a log scale.</summary>
    public (double X, double Y)[] Line(double from, double to, int points = 60) =>
        Enumerable.Range(0, points)
            .Select(i => Math.Exp(Math.Log(from) + (Math.Log(to) - Math.Log(from)) * i / (points - 1)))
            .Select(x => (Math.Clamp(x, from, to), At(Math.Clamp(x, from, to)))).ToArray();
}
