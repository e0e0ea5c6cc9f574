using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Reporting.Kpis;

/// <summary>A snapshot as text: aligned table, JSON, or CSV safe to open in a spreadsheet.</summary>
public static class KpiExport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string ToJson(object value) => JsonSerializer.Serialize(value, Json);

    static readonly string[] Header =
        ["kpi_id", "dimension", "slice_key", "slice_label", "value", "previous_value", "numerator", "denominator",
         "completeness", "provisional", "district_key", "provider_code"];

    public static string ToCsv(KpiSnapshot snapshot)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(w, CultureInfo.InvariantCulture);
        foreach (var h in Header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var v in snapshot.Values)
        {
            csv.WriteField(SafeText(v.KpiId));
            csv.WriteField(SafeText(v.Dimension));
            csv.WriteField(SafeText(v.SliceKey));
            csv.WriteField(SafeText(v.SliceLabel));
            csv.WriteField(Num(v.Value));
            csv.WriteField(Num(v.PreviousValue));
            csv.WriteField(Num(v.Numerator));
            csv.WriteField(Num(v.Denominator));
            csv.WriteField(Num(v.Completeness));
            csv.WriteField(v.Provisional ? "true" : "false");
            csv.WriteField(SafeText(v.DistrictKey ?? ""));
            csv.WriteField(SafeText(v.ProviderCode ?? ""));
            csv.NextRecord();
        }
        csv.Flush();
        return w.ToString();
    }

    /// <summary>
    /// Formula injection: a text cell starting with =, +, -, @ (or tab/CR) would be run as a formula by a spreadsheet;
    /// a leading apostrophe makes it text. Numbers are written by us from decimals and stay numbers.
    /// </summary>
    public static string SafeText(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'"
        + s : s;

    static string Num(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string ToTable(KpiSnapshot snapshot, KpiCatalogue catalogue)
    {
        var sb = new StringBuilder();
        var rows = snapshot.Values.Select(v => new[]
        {
            v.KpiId, v.Dimension, v.SliceKey, Truncate(v.SliceLabel, 36), Format(v.Value), Format(v.PreviousValue),
            v.Completeness.ToString("0.00", CultureInfo.InvariantCulture), v.Provisional ? "provisional" : "",
            catalogue.Find(v.KpiId)?.TrafficLight(v.Value) ?? "",
        }).ToList();
        string[] head = ["kpi", "dimension", "slice", "label", "value", "previous", "complete", "", "light"];
        var widths = head.Select((h, i)
            => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ",
            cells.Select((c, i) => i is 4 or 5 or 6 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        sb.AppendLine(Line(head));
        foreach (var r in rows) sb.AppendLine(Line(r));
        foreach (var c in snapshot.Comparisons)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"comparison {c.KpiId} {c.Dimension} {c.GroupKey}: {c.Providers} providers, "
                + $"min {Format(c.Min)}, median {Format(c.Median)}, max {Format(c.Max)}"));
        return sb.ToString();
    }

    static string Format(decimal? d) => d is { } v ? (Math.Abs(v) >= 100
        ? v.ToString("0.00", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture)) : "";
    static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
