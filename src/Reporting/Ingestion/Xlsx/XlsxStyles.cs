using ExcelNumberFormat;

namespace Reporting.Ingestion.Xlsx;

public enum XlsxNumberKind : byte { Number, Date, Duration }

/// <summary>
/// What a cell style makes of a number: a date, an elapsed time ([h]:mm) or a plain number. From styles.xml:
/// each cellXfs entry's numFmtId, looked up in the workbook's own numFmts first, then in Excel's built-in ids.
/// Custom format codes are classified by ExcelNumberFormat (the parser ExcelDataReader carries a copy of):
/// d, m, y, h, s outside quotes, escapes and brackets make a date; [h], [m], [s] an elapsed time.
/// </summary>
public sealed class XlsxStyles(XlsxNumberKind[] kinds)
{
    public static XlsxStyles None { get; } = new([]);

    public XlsxNumberKind KindOf(int style) => (uint)style < (uint)kinds.Length ? kinds[style] : XlsxNumberKind.Number;

    /// <summary>cellXfs' numFmtIds and the custom format codes by id.</summary>
    public static XlsxStyles From(IReadOnlyList<int> cellFormatIds, IReadOnlyDictionary<int, string> customFormats)
    {
        var byId = new Dictionary<int, XlsxNumberKind>();
        var kinds = new XlsxNumberKind[cellFormatIds.Count];
        for (var i = 0; i < kinds.Length; i++)
        {
            var id = cellFormatIds[i];
            if (!byId.TryGetValue(id, out var kind))
                byId[id] = kind = customFormats.TryGetValue(id, out var code) ? OfCode(code) : OfBuiltIn(id);
            kinds[i] = kind;
        }
        return new XlsxStyles(kinds);
    }

    /// <summary>
    /// Excel's built-in date and time formats: 14-22, 45-47, and the East Asian ones 27-36 and 50-58. 46 is
    /// [h]:mm:ss, an elapsed time (ExcelDataReader gives a TimeSpan there too).
    /// </summary>
    public static XlsxNumberKind OfBuiltIn(int id) => id switch
    {
        46 => XlsxNumberKind.Duration,
        (>= 14 and <= 22) or (>= 27 and <= 36) or 45 or 47 or (>= 50 and <= 58) => XlsxNumberKind.Date,
        _ => XlsxNumberKind.Number,
    };

    public static XlsxNumberKind OfCode(string code)
    {
        try
        {
            var format = new NumberFormat(code);
            if (!format.IsValid) return XlsxNumberKind.Number;
            if (format.IsDateTimeFormat) return XlsxNumberKind.Date;
            return format.IsTimeSpanFormat ? XlsxNumberKind.Duration : XlsxNumberKind.Number;
        }
        catch (Exception e) when (
            e is ArgumentException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return XlsxNumberKind.Number;   // a format code the parser cannot take is no date
        }
    }
}
