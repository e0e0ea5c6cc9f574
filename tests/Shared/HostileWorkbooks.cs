using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Reporting.Tests.Shared;

/// <summary>
/// The worst uploads of issues 18 and 23, built part by part (streamed into the zip, so even millions of strings cost
/// no memory here): deeply nested rich-text runs, thousands of sheets, millions of shared strings, 16,384 columns,
/// parts padded with whitespace before their root, shared strings under another root or one level deeper, and
/// text nodes of hundreds of millions of characters in every place a cell keeps text. Shared by the tests and the
/// benchmark.
/// </summary>
public static class HostileWorkbooks
{
    const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>
    /// One shared string whose runs nest <paramref name="depth"/> deep (&lt;r&gt; inside &lt;r&gt;), about 62 KB
    /// zipped.
    /// </summary>
    public static byte[] NestedRuns(int depth = 94_000, int copy = 0) => Build(copy, 1, w =>
    {
        w.Write($"<sst xmlns=\"{Main}\" count=\"1\" uniqueCount=\"1\"><si>");
        for (var i = 0; i < depth; i++) w.Write("<r>");
        w.Write("<t>x</t>");
        for (var i = 0; i < depth; i++) w.Write("</r>");
        w.Write("</si></sst>");
    }, (_, w) => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"));

    /// <summary>
    /// A workbook of <paramref name="sheets"/> small sheets; <paramref name="padded"/>: workbook.xml starts with
    /// whitespace instead of an XML declaration (legal, and longer than a 64-byte sniff).
    /// </summary>
    public static byte[] ManySheets(int sheets = 10_000, int copy = 0, bool padded = false) =>
        Build(copy, sheets, null, (i, w) => w.Write($"<row r=\"1\"><c r=\"A1\"><v>{i}</v></c></row>"),
            padWorkbook: padded);

    /// <summary>Whitespace before a part's root element: legal XML when the part has no declaration.</summary>
    static readonly string Padding = string.Concat(Enumerable.Repeat(" \r\n\t", 64));

    /// <summary>Where the shared strings stand in their part.</summary>
    public enum SharedStringsShape
    {
        /// <summary>sst as usual, but the part starts with whitespace (no declaration).</summary>
        Padded,
        /// <summary>The root element renamed (Excel ignores the root's name).</summary>
        RenamedRoot,
        /// <summary>Each si one level deeper, inside another element.</summary>
        Deeper,
    }

    /// <summary><paramref name="count"/> shared strings in an unusual but readable shape.</summary>
    public static byte[] OddSharedStrings(int count, SharedStringsShape shape, int copy = 0) => Build(copy, 1, w =>
    {
        var root = shape == SharedStringsShape.RenamedRoot ? "strings" : "sst";
        if (shape == SharedStringsShape.Padded) w.Write(Padding);
        w.Write($"<{root} xmlns=\"{Main}\">");
        if (shape == SharedStringsShape.Deeper) w.Write("<group>");
        for (var i = 0; i < count; i++) { w.Write("<si><t>"); w.Write(
            i.ToString(CultureInfo.InvariantCulture)); w.Write("</t></si>"); }
        if (shape == SharedStringsShape.Deeper) w.Write("</group>");
        w.Write($"</{root}>");
    }, (_, w) => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), sstDeclaration: false);

    /// <summary>Where a huge text stands.</summary>
    public enum HugeTextPlace
    {
        /// <summary>The value of a formula-string cell: &lt;c t="str"&gt;&lt;v&gt;.</summary>
        StrValue,
        /// <summary>An inline string's &lt;t&gt;.</summary>
        Inline,
        /// <summary>
        /// An inline string's &lt;t&gt; split by empty child elements into nodes of 16,000 characters.
        /// </summary>
        SplitText,
        /// <summary>A shared string's &lt;t&gt; split the same way.</summary>
        SplitShared,
        /// <summary>A formula (&lt;f&gt;) of a numeric cell.</summary>
        Formula,
        /// <summary>An attribute value of a cell (the parser holds a start tag whole).</summary>
        Attribute,
    }

    /// <summary>
    /// One cell's text of <paramref name="chars"/> characters in <paramref name="place"/>. The text repeats a block of
    /// 4,096 random letters with one letter changed per copy: compressed about 140:1 (under the zip-bomb ratio), so
    /// 200 million characters make an upload of about 1.5 MB.
    /// </summary>
    public static byte[] HugeText(long chars, HugeTextPlace place, int copy = 0)
    {
        void Text(StreamWriter w, bool split)
        {
            var random = new Random(23);
            var block = new char[4096];
            for (var i = 0; i < block.Length; i++) block[i] = (char)('a' + random.Next(26));
            long written = 0, sinceSplit = 0;
            while (written < chars)
            {
                block[random.Next(block.Length)] = (char)('a' + random.Next(26));
                var n = (int)Math.Min(block.Length, chars - written);
                if (split && sinceSplit + n > 16_000) { w.Write("<x/>"); sinceSplit = 0; }
                w.Write(block, 0, n);
                written += n;
                sinceSplit += n;
            }
        }
        return place switch
        {
            HugeTextPlace.SplitShared => Build(copy, 1, w =>
            {
                w.Write($"<sst xmlns=\"{Main}\" count=\"1\" uniqueCount=\"1\"><si><t>");
                Text(w, split: true);
                w.Write("</t></si></sst>");
            }, (_, w) => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), compact: true),
            _ => Build(copy, 1, null, (_, w) =>
            {
                w.Write(place switch
                {
                    HugeTextPlace.StrValue => "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>",
                    HugeTextPlace.Formula => "<row r=\"1\"><c r=\"A1\"><f>",
                    HugeTextPlace.Attribute => "<row r=\"1\"><c r=\"A1\" x=\"",
                    _ => "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>",
                });
                Text(w, place == HugeTextPlace.SplitText);
                w.Write(place switch
                {
                    HugeTextPlace.StrValue => "</v></c></row>",
                    HugeTextPlace.Formula => "</f><v>1</v></c></row>",
                    HugeTextPlace.Attribute => "\"><v>1</v></c></row>",
                    _ => "</t></is></c></row>",
                });
            }, compact: true),
        };
    }

    /// <summary>
    /// <paramref name="count"/> distinct shared strings (numbers: they compress far below the ratio limit).
    /// </summary>
    public static byte[] ManySharedStrings(int count, int copy = 0) => Build(copy, 1, w =>
    {
        w.Write($"<sst xmlns=\"{Main}\" count=\"{count}\" uniqueCount=\"{count}\">");
        for (var i = 0; i < count; i++) { w.Write("<si><t>"); w.Write(
            i.ToString(CultureInfo.InvariantCulture)); w.Write("</t></si>"); }
        w.Write("</sst>");
    }, (_, w) => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"));

    /// <summary><paramref name="rows"/> rows of 16,384 numeric cells (A to XFD).</summary>
    public static byte[] WideRows(int rows = 1, int copy = 0) => Build(copy, 1, null, (_, w) =>
    {
        for (var r = 1; r <= rows; r++)
        {
            w.Write($"<row r=\"{r}\">");
            for (var c = 0; c < 16_384; c++) w.Write(
                $"<c r=\"{Reporting.Ingestion.CellValues.A1(c, r)}\"><v>{(r * 7 + c) % 1000}</v></c>");
            w.Write("</row>");
        }
    });

    /// <summary>
    /// One text node of <paramref name="chars"/> characters, as a shared string or as an inline string in the
    /// sheet. Letters from a fixed seed: they compress about as well as real text, far below the ratio limit.
    /// </summary>
    public static byte[] LongText(int chars, bool inline = false, int copy = 0)
    {
        void Text(StreamWriter w)
        {
            var random = new Random(18);
            var chunk = new char[4096];
            for (var left = chars; left > 0; left -= chunk.Length)
            {
                for (var i = 0; i < chunk.Length; i++) chunk[i] = (char)('a' + random.Next(26));
                w.Write(chunk, 0, Math.Min(left, chunk.Length));
            }
        }
        return inline
            ? Build(copy, 1, null, (_, w) =>
            {
                w.Write("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
                Text(w);
                w.Write("</t></is></c></row>");
            })
            : Build(copy, 1, w =>
            {
                w.Write($"<sst xmlns=\"{Main}\" count=\"1\" uniqueCount=\"1\"><si><t>");
                Text(w);
                w.Write("</t></si></sst>");
            }, (_, w) => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"));
    }

    /// <summary>
    /// The first sheet is the template's cover sheet, so the return reader reads its rows (it leaves foreign sheets
    /// unread).
    /// </summary>
    static string SheetName(int i) => i == 1 ? Reporting.Uploads.ReturnTemplateLayout.CoverSheet : $"Blatt{i}";

    /// <param name="copy">Written into workbook.xml as a comment: other bytes, same workbook (an upload of the same
    /// bytes is recognised).</param>
    /// <param name="padWorkbook">workbook.xml starts with whitespace, without a declaration.</param>
    /// <param name="sstDeclaration">The shared-strings part starts with an XML declaration (else its writer decides).
    /// </param>
    /// <param name="compact">Parts compressed as tightly as deflate can (else fastest).</param>
    static byte[] Build(int copy, int sheets, Action<StreamWriter>? sharedStrings, Action<int, StreamWriter> rows,
        bool padWorkbook = false, bool sstDeclaration = true, bool compact = false)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, Action<StreamWriter> write)
            {
                using var w = new StreamWriter(zip.CreateEntry(name,
                    compact ? CompressionLevel.SmallestSize : CompressionLevel.Fastest).Open(),
                    new UTF8Encoding(false), 1 << 16);
                write(w);
            }
            Part("[Content_Types].xml", w =>
            {
                w.Write(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
                        + "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
                w.Write(
                    "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" "
                        + "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>");
                w.Write(
                    "<Override PartName=\"/xl/workbook.xml\" "
                        + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                        + "</Types>");
            });
            Part("_rels/.rels",
                w => w.Write(
                    $"<?xml version=\"1.0\"?><Relationships "
                        + $"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
                            + $"Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/>"
                        + "</Relationships>"));
            Part("xl/workbook.xml", w =>
            {
                w.Write(padWorkbook ? Padding : "<?xml version=\"1.0\"?>");
                w.Write($"<!-- {copy} --><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><sheets>");
                for (var i = 1; i <= sheets; i++) w.Write(
                    $"<sheet name=\"{SheetName(i)}\" sheetId=\"{i}\" r:id=\"rS{i}\"/>");
                w.Write("</sheets></workbook>");
            });
            Part("xl/_rels/workbook.xml.rels", w =>
            {
                w.Write(
                    "<?xml version=\"1.0\"?><Relationships "
                        + "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
                for (var i = 1; i <= sheets; i++) w.Write(
                    $"<Relationship Id=\"rS{i}\" Type=\"{Rel}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>");
                if (sharedStrings is not null) w.Write(
                    $"<Relationship Id=\"rSst\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>");
                w.Write("</Relationships>");
            });
            if (sharedStrings is not null) Part("xl/sharedStrings.xml",
                w => { if (sstDeclaration) w.Write("<?xml version=\"1.0\"?>"); sharedStrings(w); });
            for (var i = 1; i <= sheets; i++)
            {
                var sheet = i;
                Part($"xl/worksheets/sheet{i}.xml", w =>
                {
                    w.Write($"<?xml version=\"1.0\"?><worksheet xmlns=\"{Main}\"><sheetData>");
                    rows(sheet, w);
                    w.Write("</sheetData></worksheet>");
                });
            }
        }
        return ms.ToArray();
    }
}
