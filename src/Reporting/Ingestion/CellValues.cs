using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reporting.Ingestion;

/// <summary>
/// Tolerant conversion of cell values as readers return them (double, string, bool, DateTime) into the types a
/// return needs: German number text (1.234,56 €, 12 %), dates as serials or text, codes typed as numbers.
/// </summary>
public static partial class CellValues
{
    static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static bool IsEmpty(object? v) => v is null || v is DBNull
        || (v is string s && string.IsNullOrWhiteSpace(s));

    /// <summary>The value as the provider would read it, for messages.</summary>
    public static string Show(object? v) => v switch
    {
        null or DBNull => "",
        double d => d.ToString("G15", German),
        DateTime dt => dt.ToString("dd.MM.yyyy", German),
        bool b => b ? "WAHR" : "FALSCH",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "",
    };

    public static string Text(object? v) => v switch
    {
        null or DBNull => "",
        double d => d.ToString("0.##########", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Clean(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""),
    };

    static string Clean(string s) => s.Replace('\u00A0', ' ').Replace('\u202F', ' ').Trim();

    /// <summary>An 8-digit AGS; a number (Excel dropped the leading zero) is padded back.</summary>
    public static string Ags(object? v)
    {
        if (v is double d && d >= 0 && d < 1e8 && d == Math.Floor(d)) return ((long)d).ToString("D8",
            CultureInfo.InvariantCulture);
        var t = Text(v).Replace(" ", "", StringComparison.Ordinal);
        return t.Length == 7 && t.All(char.IsAsciiDigit) ? "0" + t : t;
    }

    public static bool TryDecimal(object? v, out decimal value)
    {
        value = 0;
        switch (v)
        {
            case double d when double.IsFinite(d) && Math.Abs(d) < 7.9e27:
                value = (decimal)d;   // 15 significant digits: exact to the cent for any plausible amount
                return true;
            case string s:
                return TryDecimalText(s, out value);
            default:
                return false;
        }
    }

    static bool TryDecimalText(string raw, out decimal value)
    {
        value = 0;
        var s = Clean(raw).Replace("€", "", StringComparison.Ordinal).Replace("EUR", "",
            StringComparison.OrdinalIgnoreCase)
            .Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        var percent = s.EndsWith('%');
        if (percent) s = s[..^1];
        if (s.Length == 0) return false;
        bool ok;
        if (s.Contains(',', StringComparison.Ordinal))
            ok = decimal.TryParse(s, NumberStyles.Number, German, out value);            // 1.234,56
        else if (GermanThousands().IsMatch(s))
            ok = decimal.TryParse(s.Replace(".", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out value);  // 1.234
        else
            ok = decimal.TryParse(s,
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                    CultureInfo.InvariantCulture, out value);
        if (ok && percent) value /= 100m;
        return ok;
    }

    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+$")]
    private static partial Regex GermanThousands();

    public static bool TryInt(object? v, out int value)
    {
        // A whole number in range is exact as a decimal too: the same answer without the decimal conversion.
        if (v is double d && d == Math.Floor(d) && d >= int.MinValue
            && d <= int.MaxValue) { value = (int)d; return true; }
        value = 0;
        if (!TryDecimal(v, out var m) || m != decimal.Truncate(m) || m < int.MinValue || m > int.MaxValue) return false;
        value = (int)m;
        return true;
    }

    static readonly string[] DateFormats = ["dd.MM.yyyy", "d.M.yyyy", "dd.MM.yy", "d.M.yy", "yyyy-MM-dd",
        "yyyy-MM-ddTHH:mm:ss", "dd.MM.yyyy HH:mm:ss", "dd/MM/yyyy"];

    /// <summary>
    /// A date from a date cell, a serial number (the reader converts 1904 workbooks) or German/ISO text.
    /// </summary>
    public static bool TryDate(object? v, out DateOnly value)
    {
        value = default;
        switch (v)
        {
            case DateTime dt:
                value = DateOnly.FromDateTime(dt);
                return true;
            case double d when d >= 1 && d < 2958466:
                value = DateOnly.FromDateTime(DateTime.FromOADate(d));
                return true;
            case string s when DateTime.TryParseExact(Clean(s), DateFormats, German, DateTimeStyles.None,
                out var parsed):
                value = DateOnly.FromDateTime(parsed);
                return true;
            default:
                return false;
        }
    }

    public static bool TryBool(object? v, out bool value)
    {
        value = false;
        switch (v)
        {
            case bool b: value = b; return true;
            case double d when d is 0 or 1: value = d == 1; return true;
            case string s:
                switch (Clean(s).ToLowerInvariant())
                {
                    case "ja" or "j" or "x" or "yes" or "y" or "true" or "wahr" or "1": value = true; return true;
                    case "nein" or "n" or "no" or "false" or "falsch" or "0" or "-": value = false; return true;
                }
                return false;
            default: return false;
        }
    }

    /// <summary>
    /// Header text for matching: lower case, letters and digits only, a trailing unit "EUR"/"€" dropped.
    /// </summary>
    public static string HeaderKey(object? v)
    {
        var s = Text(v).ToLowerInvariant();
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) if (char.IsLetterOrDigit(c)) sb.Append(c);
        var k = sb.ToString();
        if (k.EndsWith("ineur", StringComparison.Ordinal)) k = k[..^5];
        else if (k.EndsWith("eur", StringComparison.Ordinal) && k.Length > 3) k = k[..^3];
        return k;
    }

    /// <summary>A1 address from 0-based column and 1-based row.</summary>
    public static string A1(int column, int row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    public static string ColumnName(int column)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name;
    }
}
