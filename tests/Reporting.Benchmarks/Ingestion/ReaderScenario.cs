using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using ClosedXML.Excel;
using ExcelDataReader;
using MiniExcelLibs;
using Reporting.Ingestion;
using Reporting.Ingestion.Xlsx;
using Reporting.Reference;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// Reading the same generated return (real NRW keys) with our reader and the readers a team would pick instead,
/// in the same run, each variant in its own process so peak RSS is its own: our ReturnReader (parse only, the
/// baseline), the whole validator, a bare unzip + XmlReader pass over every cell (the floor), our sheet reader
/// alone (<see cref="XlsxWorkbookReader"/>, the same work as the next), ExcelDataReader,
/// MiniExcel, SheetJS on Node.js (the outside peer) and ClosedXML loading the whole workbook.
/// </summary>
public class ReaderScenario : Scenario
{
    public override string Name => "reader";
    public override string Description
        => "read a generated 200,000-row return: ours vs bare XML pass, ExcelDataReader, MiniExcel, SheetJS, ClosedXML";
    public override bool ProcessPerVariant => true;
    protected virtual int Rows => 200_000;
    /// <summary>ClosedXML needs minutes and gigabytes for a million rows; it is left out there.</summary>
    protected virtual bool WithClosedXml => true;

    string path = "";
    ReferenceCatalog catalog = null!;

    public override Task<string?> PrepareAsync(BenchmarkContext context)
    {
        if (!BenchReturns.HasRealReference) throw new SkipScenario(
            $"the real NRW reference is absent ({BenchReturns.ReferenceDir})");
        path = BenchReturns.Ensure(context, Rows);
        SheetJs.Install(context);
        return Task.FromResult<string?>(BenchReturns.Describe(path, Rows));
    }

    public override Task<string> SetUpAsync(BenchmarkContext context)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        path = BenchReturns.Ensure(context, Rows);
        catalog = BenchReturns.Reference(BenchReturns.NeedsSynthetic(Rows)).Catalog;
        return Task.FromResult(BenchReturns.Describe(path, Rows));
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("ReturnReader parse only (ours)", () => Task.FromResult<string?>(ReaderOnly()));
        yield return ("ReturnValidator, all layers (ours)", () => Task.FromResult<string?>(Validator()));
        yield return ("bare pass: unzip + XmlReader over every cell", () => Task.FromResult<string?>(BarePass()));
        yield return ("XlsxWorkbookReader alone, ours (GetValue on every cell)", ()
            => Task.FromResult<string?>(XlsxReaderRaw()));
        yield return ("ExcelDataReader 3.6.0 (GetValue on every cell)", ()
            => Task.FromResult<string?>(ExcelDataReaderRaw()));
        yield return ("MiniExcel 1.46.0 (Query, every cell)", () => Task.FromResult<string?>(MiniExcelQuery()));
        yield return ("SheetJS xlsx 0.18.5 on Node.js 20 (readFile, every cell)", ()
            => SheetJs.ReadAsync(context, path));
        if (WithClosedXml) yield return ("ClosedXML 0.95.4 whole-workbook load", ()
            => Task.FromResult<string?>(ClosedXml()));
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

    /// <summary>The sheet reader under ReturnReader on its own, the same work as the ExcelDataReader variant.</summary>
    string XlsxReaderRaw()
    {
        long values = 0;
        using var s = File.OpenRead(path);
        using var r = XlsxWorkbookReader.Open(s);
        while (r.NextSheet())
            while (r.Read())
                for (var c = 0; c < r.FieldCount; c++)
                    if (r.GetValue(c) is not null) values++;
        return $"{values:N0} values";
    }

    string MiniExcelQuery()
    {
        long values = 0;
        foreach (var sheet in MiniExcel.GetSheetNames(path))
            foreach (IDictionary<string, object?> row in MiniExcel.Query(path, sheetName: sheet))
                foreach (var v in row.Values)
                    if (v is not null) values++;
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
        var p = new ReturnValidator(catalog).Validate(path, new ValidationContext(null));
        return $"{p.Ozg.Count + p.Supply.Count:N0} rows, {p.ErrorCount} errors";
    }

    string ClosedXml()
    {
        long cells = 0;
        using var wb = new XLWorkbook(path);
        foreach (var ws in wb.Worksheets) cells += ws.CellsUsed().Count();
        return $"{cells:N0} cells";
    }
}

/// <summary>
/// The same, on a 1,000,000-row return (NRW plus synthetic municipalities, see <see cref="BenchReturns"/>).
/// </summary>
public sealed class Reader1MScenario : ReaderScenario
{
    public override string Name => "reader-1m";
    public override string Description => "the reader comparison on a 1,000,000-row return (without ClosedXML)";
    public override bool Large => true;
    public override int Repeats => 1;
    protected override int Rows => 1_000_000;
    protected override bool WithClosedXml => false;
}

/// <summary>A scenario that cannot run here says why and is left out of the table.</summary>
public sealed class SkipScenario(string reason) : Exception(reason);

/// <summary>
/// SheetJS (npm package xlsx) on Node.js as the outside peer: installed with npm into the work dir (under the
/// git-ignored .local), run by a small script that times itself and reports its own peak RSS, so Node's start-up
/// is not counted.
/// </summary>
static class SheetJs
{
    const string Script = """
        const XLSX = require('xlsx');
        const t0 = process.hrtime.bigint();
        const wb = XLSX.readFile(process.argv[2], { dense: true });
        let cells = 0;
        for (const name of wb.SheetNames) {
          const ws = wb.Sheets[name];
          // dense sheets: rows of cells (0.18: the sheet itself; 0.19+: ws['!data'])
          const rows = ws['!data'] || (Array.isArray(ws) ? ws : []);
          for (const row of rows) if (row) for (const c of row) if (c && c.v !== undefined) cells++;
        }
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        console.log(JSON.stringify({ ms, cells, maxRssKb: process.resourceUsage().maxRSS }));
        """;

    static string Dir(BenchmarkContext context) => Path.Combine(context.WorkDir, "sheetjs");
    static bool Installed(BenchmarkContext context)
        => Directory.Exists(Path.Combine(Dir(context), "node_modules", "xlsx"));

    public static void Install(BenchmarkContext context)
    {
        var dir = Directory.CreateDirectory(Dir(context)).FullName;
        File.WriteAllText(Path.Combine(dir, "read.js"), Script);
        if (Installed(context)) return;
        File.WriteAllText(Path.Combine(dir, "package.json"),
            """{ "name": "reporting-bench-sheetjs", "private": true }""");
        try
        {
            var (code, _, err) = Run("npm", ["install", "--no-audit", "--no-fund", "xlsx@0.18.5"], dir,
                TimeSpan.FromMinutes(2));
            if (code != 0) Console.Error.WriteLine($"  npm install xlsx failed ({code}): {err.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e) { Console.Error.WriteLine("  npm not found: " + e.Message); }
    }

    public static async Task<string?> ReadAsync(BenchmarkContext context, string path)
    {
        if (!Installed(context)) return "skipped: npm package xlsx not installed (npm unreachable?)";
        var (code, output, err) = await Task.Run(()
            => Run("node", ["--max-old-space-size=8192", "read.js", path], Dir(context), TimeSpan.FromMinutes(10)));
        if (code != 0) return "failed: " + err.Trim().Split('\n').LastOrDefault();
        using var json = JsonDocument.Parse(output);
        Harness.ExternalMs = json.RootElement.GetProperty("ms").GetDouble();
        Harness.ExternalPeakKb = json.RootElement.GetProperty("maxRssKb").GetInt64();
        return string.Create(CultureInfo.InvariantCulture,
            $"{json.RootElement.GetProperty("cells").GetInt64():N0} values (time and peak RSS measured inside node)");
    }

    static (int Code, string Out, string Err) Run(string file, string[] args, string dir, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true,
            RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(entireProcessTree: true); return (-1, "", "timed out"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
