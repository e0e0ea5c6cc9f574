using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Reporting.Tests.Shared;

/// <summary>
/// The worst uploads of issue 18, built part by part (streamed into the zip, so even millions of strings cost no
/// memory here): deeply nested rich-text runs, thousands of sheets, millions of shared strings, 16,384 columns.
/// Shared by the tests and the benchmark.
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

    /// <summary>A workbook of <paramref name="sheets"/> small sheets.</summary>
    public static byte[] ManySheets(int sheets = 10_000, int copy = 0) =>
        Build(copy, sheets, null, (i, w) => w.Write($"<row r=\"1\"><c r=\"A1\"><v>{i}</v></c></row>"));

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

    /// <param name="copy">Written into workbook.xml as a comment: other bytes, same workbook (an upload of the same
    /// bytes is recognised).</param>
    static byte[] Build(int copy, int sheets, Action<StreamWriter>? sharedStrings, Action<int, StreamWriter> rows)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, Action<StreamWriter> write)
            {
                using var w = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(),
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
                w.Write($"<?xml version=\"1.0\"?><!-- {copy} --><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><sheets>");
                for (var i = 1; i <= sheets; i++) w.Write($"<sheet name=\"Blatt{i}\" sheetId=\"{i}\" r:id=\"rS{i}\"/>");
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
                w => { w.Write("<?xml version=\"1.0\"?>"); sharedStrings(w); });
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
