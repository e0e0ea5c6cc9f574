using ClosedXML.Excel;
using Reporting.Ingestion;
using Reporting.Reference;
using Reporting.Uploads;

namespace Reporting.Tests.Ingestion;

/// <summary>The demo region as an in-memory catalogue, and real return files written by the tests.</summary>
public static class ReturnFiles
{
    public static string RepoRoot { get; } = AppPaths.FindContentRoot();
    public static string DemoReferenceDir { get; } = Path.Combine(RepoRoot, "data", "reference");

    public static DemoReturnReference Demo { get; } = DemoReturnReference.FromDemo(
        DemoReference.Load(DemoReferenceDir));

    /// <summary>The demo catalogue with periods: 2023 closed, 2024 and 2025 open.</summary>
    public static ReferenceCatalog Catalog { get; } = new(
        Demo.Catalog.Municipalities, Demo.Catalog.OzgServices, Demo.Catalog.Services, Demo.Catalog.CostTypes,
            Demo.Catalog.Providers,
        [new("2023", true), new("2024", false), new("2025", false)]);

    public static ReturnValidator Validator(UploadsOptions? limits = null) => new(Catalog, limits);

    public static DemoReturnReference.Provider Provider(string code) => Demo.Providers.Single(p => p.Code == code);

    public static DemoReturnGenerator.Generated Generate(string code = "ITVB", string period = "2025", int seed = 7) =>
        DemoReturnGenerator.Generate(Demo, Provider(code), period, seed);

    /// <summary>A fresh temp folder per test, removed with the process' temp cleanup.</summary>
    public static string TempDir() => Directory.CreateTempSubdirectory("reporting-returns-").FullName;

    /// <summary>A valid return written through the template.</summary>
    public static string WriteValid(string dir, string code = "ITVB", string period = "2025", int seed = 7)
    {
        var path = Path.Combine(dir, $"{code}-{period}.xlsx");
        DemoReturnWriter.WriteThroughTemplate(Generate(code, period, seed), Catalog, path);
        return path;
    }

    /// <summary>A valid return, changed with ClosedXML before saving under a new name.</summary>
    public static string WriteChanged(string dir, Action<XLWorkbook> change, string name = "changed.xlsx",
        string code = "ITVB")
    {
        var path = Path.Combine(dir, name);
        using (var wb = new XLWorkbook(WriteValid(dir, code)))
        {
            change(wb);
            wb.SaveAs(path);
        }
        return path;
    }

    public static ParsedReturn Validate(string path, string? uploader = null, UploadsOptions? limits = null) =>
        Validator(limits).Validate(path, new ValidationContext(uploader));

    public static ParsedReturn Validate(byte[] bytes, string fileName = "upload.xlsx", string? uploader = null,
        UploadsOptions? limits = null)
    {
        using var ms = new MemoryStream(bytes);
        return Validator(limits).Validate(ms, fileName, new ValidationContext(uploader));
    }

    public static string Dump(ParsedReturn p) => string.Join("\n", p.Messages.Select(m => m.ToString()));
}
