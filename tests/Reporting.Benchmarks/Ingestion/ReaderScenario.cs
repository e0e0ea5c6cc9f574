using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using ClosedXML.Excel;
using ExcelDataReader;
using Reporting.Ingestion;
using Reporting.Reference;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// Reading a 200,000-row return (generated, streaming-written, demo region): a bare unzip + XmlReader pass over
/// every cell as the floor, then ExcelDataReader raw, our reader (parse only), the whole validator, and ClosedXML
/// loading the workbook. ClosedXML runs last because peak RSS is per process and only grows.
/// </summary>
public sealed class ReaderScenario : Scenario
{
    public override string Name => "reader";
    public override string Description => "read a generated 200,000-row return: bare XML pass, ExcelDataReader, our reader/validator, ClosedXML";
    public const int Rows = 200_000;

    string path = "";
    ReferenceCatalog catalog = null!;

    public override Task<string> SetUpAsync(BenchmarkContext context)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var reference = DemoReturnReference.FromDemo(DemoReference.Load(Path.Combine(AppPaths.FindContentRoot(), "data", "reference")));
        catalog = reference.Catalog;
        var provider = reference.Providers.Single(p => p.Code == "KDZA");
        var g = DemoReturnGenerator.Generate(reference, provider, "2025", 42, Rows);
        path = Path.Combine(context.WorkDir, "KDZA-2025-200k.xlsx");
        DemoReturnWriter.WriteStreaming(g, catalog, path);
        var size = new FileInfo(path).Length;
        return Task.FromResult(string.Create(CultureInfo.InvariantCulture, $"{Rows:N0} rows, {size / 1024.0 / 1024.0:0.0} MB xlsx"));
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("bare pass (unzip + XmlReader over every cell)", () => Task.FromResult<string?>(BarePass()));
        yield return ("ExcelDataReader raw (GetValue on every cell)", () => Task.FromResult<string?>(ExcelDataReaderRaw()));
        yield return ("ReturnReader parse only", () => Task.FromResult<string?>(ReaderOnly()));
        yield return ("ReturnValidator (all layers)", () => Task.FromResult<string?>(Validator()));
        yield return ("ClosedXML whole-workbook load", () => Task.FromResult<string?>(ClosedXml()));
    }

    string BarePass()
    {
        long cells = 0;
        using var zip = ZipFile.OpenRead(path);
        foreach (var e in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var s = e.Open();
            using var xml = XmlReader.Create(s, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (xml.Read())
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c") cells++;
        }
        return $"{cells:N0} cells";
    }

    string ExcelDataReaderRaw()
    {
        long values = 0;
        using var s = File.OpenRead(path);
        using var r = ExcelReaderFactory.CreateOpenXmlReader(s);
        do
            while (r.Read())
                for (var c = 0; c < r.FieldCount; c++)
                    if (r.GetValue(c) is not null) values++;
        while (r.NextResult());
        return $"{values:N0} values";
    }

    string ReaderOnly()
    {
        using var s = File.OpenRead(path);
        var result = ReturnReader.Read(s, catalog.CostTypes, new MessageSink());
        return $"{result.Ozg.Count + result.Supply.Count:N0} rows";
    }

    string Validator()
    {
        var p = new ReturnValidator(catalog).Validate(path, new ValidationContext("KDZA"));
        return $"{p.Ozg.Count + p.Supply.Count:N0} rows, {p.Messages.Count} messages (duplicate keys past the demo key space)";
    }

    string ClosedXml()
    {
        long cells = 0;
        using var wb = new XLWorkbook(path);
        foreach (var ws in wb.Worksheets) cells += ws.CellsUsed().Count();
        return $"{cells:N0} cells";
    }
}
