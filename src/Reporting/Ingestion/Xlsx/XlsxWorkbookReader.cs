using System.Globalization;
using System.IO.Compression;
using System.Xml;
using Reporting.Uploads;

namespace Reporting.Ingestion.Xlsx;

/// <summary>
/// A streaming reader for the cell values of an xlsx workbook, with just the surface the return reader needs:
/// sheets in workbook order (name, visibility), then per sheet the rows as they stand in the sheet XML (row number
/// from the file, so missing rows keep their addresses), each row's values by 0-based column, and the row's
/// error cells (#DIV/0!, #REF!, ...), which a value alone cannot show.
/// Values are the CLR types ExcelDataReader 3.6 returned (string, double, bool, DateTime, TimeSpan or null), so
/// <see cref="CellValues"/> converts them as before. Memory: shared strings and styles, plus one row; the row's value
/// array is reused, and a row only grows it as far as its last filled cell.
/// A part over a limit or not well-formed ends in an <see cref="XlsxRefusedException"/>, a missing one in an
/// <see cref="InvalidDataException"/>.
/// </summary>
public sealed class XlsxWorkbookReader : IDisposable
{
    /// <summary>The last column Excel has (XFD): cells further right are not read.</summary>
    public const int MaxColumns = 16_384;

    readonly ZipArchive zip;
    readonly XlsxNames names;
    readonly string[] sharedStrings;
    readonly XlsxStyles styles;
    int sheetIndex = -1;

    XmlReader? rows;
    bool rowsDone;
    object?[] values = new object?[16];
    readonly XlsxText text;
    readonly XlsxLimits limits;
    readonly List<XlsxCellError> errors = [];

    public IReadOnlyList<XlsxSheet> Sheets { get; }
    /// <summary>The workbook counts dates from 1 Jan 1904 (old Mac Excel) instead of 1900.</summary>
    public bool Date1904 { get; }

    /// <summary>Name of the current sheet (after <see cref="NextSheet"/>).</summary>
    public string Name => Sheets[sheetIndex].Name;
    /// <summary>visible, hidden or veryHidden, as in workbook.xml.</summary>
    public string VisibleState => Sheets[sheetIndex].State;

    /// <summary>1-based row number of the current row, from its r attribute (or the previous row's plus one).</summary>
    public int RowNumber { get; private set; }
    /// <summary>One past the last column of the current row that holds a value or an error.</summary>
    public int FieldCount { get; private set; }
    /// <summary>The current row's error cells, in column order.</summary>
    public IReadOnlyList<XlsxCellError> Errors => errors;

    XlsxWorkbookReader(ZipArchive zip, UploadsOptions limits)
    {
        this.zip = zip;
        names = new XlsxNames();
        this.limits = new XlsxLimits(limits);
        text = new XlsxText(this.limits);
        var parts = XlsxParts.Load(zip, names, text, this.limits);
        Sheets = parts.Sheets;
        Date1904 = parts.Date1904;
        sharedStrings = parts.SharedStrings;
        styles = parts.Styles;
    }

    /// <summary>
    /// Opens the workbook and reads its workbook, relationship, shared string and style parts. Every part is read
    /// under <paramref name="limits"/> (the defaults without): a part over one, or not well-formed, ends in an
    /// <see cref="XlsxRefusedException"/>.
    /// </summary>
    public static XlsxWorkbookReader Open(Stream xlsx, bool leaveOpen = true, UploadsOptions? limits = null)
    {
        var zip = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen);
        try { return new XlsxWorkbookReader(zip, limits ?? new UploadsOptions()); }
        catch { zip.Dispose(); throw; }
    }

    /// <summary>Moves to the next sheet (the first on the first call); false after the last.</summary>
    public bool NextSheet()
    {
        CloseRows();
        if (sheetIndex + 1 >= Sheets.Count) { sheetIndex = Sheets.Count; return false; }
        sheetIndex++;
        rowsDone = false;
        RowNumber = 0;
        ClearRow();
        return true;
    }

    /// <summary>The value of a column in the current row; null where there is no cell (or an error value).</summary>
    public object? GetValue(int column) => column >= 0 && column < FieldCount ? values[column] : null;

    /// <summary>
    /// Moves to the next row of the current sheet that stands in the file; false at the end of the sheet.
    /// </summary>
    public bool Read()
    {
        if (sheetIndex < 0 || sheetIndex >= Sheets.Count || rowsDone) return false;
        ClearRow();
        var xml = rows ??= OpenRows();
        if (xml is null) return Finished();
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, names.Row))
            {
                ReadRow(xml);
                return true;
            }
            if (xml.NodeType == XmlNodeType.EndElement && ReferenceEquals(xml.LocalName, names.SheetData)) break;
        }
        return Finished();
    }

    bool Finished()
    {
        CloseRows();
        rowsDone = true;
        return false;
    }

    void ClearRow()
    {
        Array.Clear(values, 0, FieldCount);
        FieldCount = 0;
        errors.Clear();
    }

    void CloseRows()
    {
        rows?.Dispose();
        rows = null;
    }

    /// <summary>The current sheet's XML, positioned on its sheetData element; null for a sheet without rows.</summary>
    XmlReader? OpenRows()
    {
        var sheet = Sheets[sheetIndex];
        var entry = XlsxParts.Find(zip, sheet.Part)
            ?? throw new InvalidDataException(sheet.Part.Length == 0
                ? $"Das Blatt „{sheet.Name}“ hat keinen Verweis auf seinen Inhalt."
                : $"Das Blatt „{sheet.Name}“ fehlt in der Datei ({sheet.Part}).");
        var xml = limits.Open(entry, names.Table);
        try
        {
            while (xml.Read())
                if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, names.SheetData))
                {
                    if (!xml.IsEmptyElement) return xml;
                    break;
                }
        }
        catch { xml.Dispose(); throw; }
        xml.Dispose();
        return null;
    }

    /// <summary>Reads one row element, leaving the reader on its end (or on the element itself when empty).</summary>
    void ReadRow(XmlReader xml)
    {
        var empty = xml.IsEmptyElement;
        var number = RowNumber + 1;
        if (xml.MoveToFirstAttribute())
        {
            do
                if (ReferenceEquals(xml.LocalName, names.R) && xml.NamespaceURI.Length == 0
                    && int.TryParse(xml.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0)
                    number = r;
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
        RowNumber = number;
        if (empty) return;

        var column = -1;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, names.C)) column = ReadCell(xml,
                column + 1);
            else if (xml.NodeType == XmlNodeType.EndElement && ReferenceEquals(xml.LocalName, names.Row)) return;
        }
        throw new XmlException("Unexpected end of a sheet part.");
    }

    enum CellType : byte { Number, Shared, String, Inline, Bool, Error, Date }

    /// <summary>Reads one cell element; returns its column (the next one's default is one further right).</summary>
    int ReadCell(XmlReader xml, int column)
    {
        var type = CellType.Number;
        var style = 0;
        var empty = xml.IsEmptyElement;
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                if (xml.NamespaceURI.Length != 0) continue;
                var name = xml.LocalName;
                if (ReferenceEquals(name, names.R)) column = ColumnOf(xml.Value, column);
                else if (ReferenceEquals(name, names.T)) type = TypeOf(xml.Value);
                else if (ReferenceEquals(name, names.S)
                    && !int.TryParse(xml.Value, NumberStyles.None, CultureInfo.InvariantCulture, out style)) style = 0;
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }
        var hasValue = false;
        string? formula = null;
        text.Length = 0;
        if (!empty && !xml.Read()) throw new XmlException("Unexpected end of a sheet part.");
        while (!empty && !(xml.NodeType == XmlNodeType.EndElement && ReferenceEquals(xml.LocalName, names.C)))
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                var name = xml.LocalName;
                if (ReferenceEquals(name, names.V)) { text.Length = 0; text.Append(xml); hasValue = true; }
                else if (ReferenceEquals(name, names.Is)) { text.Length = 0; text.AppendRich(xml,
                    names); hasValue = true; if (type != CellType.Inline
                        && type != CellType.String) type = CellType.Inline; }
                else if (ReferenceEquals(name, names.F) && type == CellType.Error) { var at = text.Length; text.Append(
                    xml); formula = text.ToString(at); text.Length = at; }
                else { xml.Skip(); continue; }
            }
            if (!xml.Read()) throw new XmlException("Unexpected end of a sheet part.");
        }
        if (column >= MaxColumns || (!hasValue && type != CellType.Error)) return column;

        if (type == CellType.Error)
        {
            var value = text.Length > 0 ? text.ToString(0) : "#FEHLER";
            errors.Add(new XlsxCellError(column, value, string.IsNullOrEmpty(formula) ? null : formula));
            Extend(column);
            return column;
        }
        var span = text.Span;
        object? v = type switch
        {
            CellType.Shared => int.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 0
                && i < sharedStrings.Length ? sharedStrings[i] : null,
            CellType.String or CellType.Inline => XlsxParts.Unescape(new string(span)),
            CellType.Bool => span is "1",
            CellType.Date => DateTime.TryParse(span, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : new string(span),
            _ => Number(span, style),
        };
        if (v is null) return column;
        Extend(column);
        values[column] = v;
        return column;
    }

    object? Number(ReadOnlySpan<char> span, int style)
    {
        if (span.IsEmpty) return null;
        if (!double.TryParse(span, NumberStyles.Any, CultureInfo.InvariantCulture, out var d)) return new string(span);
        return styles.KindOf(style) switch
        {
            XlsxNumberKind.Date => XlsxDates.FromSerial(d, Date1904),
            XlsxNumberKind.Duration => TimeSpan.FromDays(d),
            _ => d,
        };
    }

    void Extend(int column)
    {
        if (column >= values.Length) Array.Resize(ref values,
            Math.Min(MaxColumns, Math.Max(column + 1, values.Length * 2)));
        if (column >= FieldCount) FieldCount = column + 1;
    }

    CellType TypeOf(string t) => t switch
    {
        "s" => CellType.Shared,
        "str" => CellType.String,
        "inlineStr" => CellType.Inline,
        "b" => CellType.Bool,
        "e" => CellType.Error,
        "d" => CellType.Date,
        _ => CellType.Number,
    };

    /// <summary>0-based column of an A1 reference ("C12" is 2); the fallback when it has no letters.</summary>
    internal static int ColumnOf(string reference, int fallback)
    {
        var column = 0;
        var letters = 0;
        foreach (var ch in reference)
        {
            var up = (char)(ch & ~0x20);
            if (up is < 'A' or > 'Z') break;
            if (++letters > 3) return MaxColumns;   // beyond XFD: ignored by the caller
            column = column * 26 + (up - 'A' + 1);
        }
        return letters == 0 ? fallback : column - 1;
    }

    public void Dispose()
    {
        CloseRows();
        zip.Dispose();
    }
}

/// <summary>
/// A sheet as workbook.xml lists it: name, visibility (visible, hidden, veryHidden) and its part in the zip.
/// </summary>
public sealed record XlsxSheet(string Name, string State, string Part);

/// <summary>
/// A cell holding an error value (#DIV/0!, #REF!, ...); Formula without the leading '=', null without one.
/// </summary>
public readonly record struct XlsxCellError(int Column, string Value, string? Formula);
