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
    public static string Percent(decimal share, int decimals = 1) => (share * 100).ToString("N" + decimals, Culture) + " %";
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

    /// <summary>Change as "+4,2 %" / "−1,0 %" / "–" when there is no previous value.</summary>
    public static string Change(decimal? change) => change is not { } c ? "–"
        : (c > 0 ? "+" : c < 0 ? "−" : "±") + (Math.Abs(c) * 100).ToString("N1", Culture) + " %";

    /// <summary>Excel number format for a unit (stored with the cell, so values stay numbers).</summary>
    public static string ExcelFormat(string unit) => unit switch
    {
        _ when unit.StartsWith("EUR", StringComparison.Ordinal) => "#,##0 \"€\"",
        "Anteil" => "0.0%",
        "Anzahl" => "#,##0",
        _ => "#,##0.00",
    };
}
