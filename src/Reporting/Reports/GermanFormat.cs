using System.Globalization;

namespace Reporting.Reports;

/// <summary>German number and date formats, done by us: the process culture is invariant and ClosedXML's
/// GetFormattedString is broken in 0.95.4.</summary>
public static class GermanFormat
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>German alphabetical order with numbers in numeric order ("Anbieter 2" before "Anbieter 10").</summary>
    public static readonly StringComparer Order = StringComparer.Create(Culture, CompareOptions.NumericOrdering);

    public static string Euro(decimal v, int decimals = 0) => v.ToString("N" + decimals, Culture) + " €";
    public static string Number(decimal v, int decimals = 0) => v.ToString("N" + decimals, Culture);
    public static string Number(double v, int decimals = 0) => v.ToString("N" + decimals, Culture);
    /// <summary>A share 0..1 as "12,3 %".</summary>
    public static string Percent(decimal share, int decimals = 1) => (share * 100).ToString("N" + decimals, Culture)
        + " %";
    public static string Date(DateTimeOffset d) => d.ToString("dd.MM.yyyy", Culture);
    public static string DateTime(DateTimeOffset d) => d.ToString("dd.MM.yyyy HH:mm", Culture);

    /// <summary>Compact axis labels: 1,2 Mio. €, 350 T€.</summary>
    public static string EuroShort(double v) => Math.Abs(v) switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", Culture) + " Mrd. €",
        >= 1e6 => (v / 1e6).ToString("0.#", Culture) + " Mio. €",
        >= 1e4 => (v / 1e3).ToString("0", Culture) + " T€",
        _ => v.ToString("N0", Culture) + " €",
    };

    /// <summary>A KPI value in its unit.</summary>
    public static string Value(decimal? v, string unit) => v is not { } x ? "–" : unit switch
    {
        _ when unit.StartsWith("EUR", StringComparison.Ordinal) => Euro(x),
        "Anteil" => Percent(x),
        "Anzahl" => Number(x, x == Math.Round(x) ? 0 : 1),
        _ => Number(x, 2),
    };

    /// <summary>
    /// Whether a KPI's unit is a rate or share (its changes are percentage points): "Anteil" or a "%" unit.
    /// </summary>
    public static bool IsRate(string unit) => unit == "Anteil" || unit.Contains('%', StringComparison.Ordinal);

    /// <summary>
    /// The change as a number in its display unit: percentage points for rates, a share 0..1 for amounts.
    /// </summary>
    public static decimal? ChangeValue(decimal? value, decimal? previous, string unit)
    {
        if (value is not { } v || previous is not { } p) return null;
        if (IsRate(unit)) return (v - p) * (unit == "Anteil" ? 100 : 1);
        return p == 0 ? null : (v - p) / Math.Abs(p);
    }

    /// <summary>Change of a rate as "+13,8 Pp.", of an amount as "+4,2 %"; "–" with nothing to compare.</summary>
    public static string Change(decimal? value, decimal? previous, string unit)
    {
        if (ChangeValue(value, previous, unit) is not { } c) return "–";
        var (n, suffix) = IsRate(unit) ? (c, " Pp.") : (c * 100, " %");
        var r = Math.Round(n, 1);
        return (r > 0 ? "+" : r < 0 ? "−" : "±") + Math.Abs(r).ToString("N1", Culture) + suffix;
    }

    /// <summary>
    /// "↑", "↓" or "→": which way the value moved, with no judgement (that is the traffic light's).
    /// </summary>
    public static string Trend(decimal? value, decimal? previous) =>
        value is not { } v || previous is not { } p ? "" : v > p ? "↑" : v < p ? "↓" : "→";

    /// <summary>The period before: 2025 -> 2024, 2025-Q3 -> 2025-Q2, 2025-Q1 -> 2024-Q4; else null.</summary>
    public static string? PreviousPeriod(string period)
    {
        if (period.Length == 4 && int.TryParse(period, out var y))
            return (y - 1).ToString(CultureInfo.InvariantCulture);
        if (period.Length == 7 && period[4..6] == "-Q" && int.TryParse(period[..4], out y)
            && period[6] is >= '1' and <= '4')
            return period[6] == '1' ? $"{y - 1}-Q4" : $"{y}-Q{period[6] - '1'}";
        return null;
    }

    /// <summary>A quantile parameter in words: 0.5 "Median", 0.25 "unteres Quartil", 0.1 "10. Perzentil".</summary>
    public static string QuantileLabel(decimal q) => q switch
    {
        0m => "Minimum",
        0.25m => "unteres Quartil",
        0.5m => "Median",
        0.75m => "oberes Quartil",
        1m => "Maximum",
        _ => (q * 100).ToString("0.#", Culture) + ". Perzentil",
    };

    /// <summary>Excel number format for a unit (stored with the cell, so values stay numbers).</summary>
    public static string ExcelFormat(string unit) => unit switch
    {
        _ when unit.StartsWith("EUR", StringComparison.Ordinal) => "#,##0 \"€\"",
        "Anteil" => "0.0%",
        "Anzahl" => "#,##0",
        _ => "#,##0.00",
    };
}
