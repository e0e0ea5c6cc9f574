using System.Diagnostics;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// LibreOffice headless, the second producer of real files; tests skip with the reason where it is absent.
/// </summary>
public static class Soffice
{
    public static string? Path { get; } = new[] { "/usr/bin/soffice", "/usr/local/bin/soffice",
        "/usr/lib/libreoffice/program/soffice" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// One profile for the test run: LibreOffice builds a new profile on first start, which costs several times a
    /// conversion (and more when four tests build theirs at once). Two instances must not share a profile at the
    /// same time, so conversions take turns.
    /// </summary>
    static readonly string Profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lo-{Guid.NewGuid():N}");
    static readonly Lock Turn = new();

    static Soffice() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Profile, recursive: true); } catch (IOException) { }
    };

    /// <summary>
    /// Converts <paramref name="file"/> to <paramref name="format"/> (e.g. "xlsx", "ods") into <paramref
    /// name="outDir"/>/lo/.
    /// </summary>
    public static string Convert(string file, string format, string outDir)
    {
        var target = System.IO.Path.Combine(outDir, "lo");
        Directory.CreateDirectory(target);
        var psi = new ProcessStartInfo(Path!,
            ["--headless", $"-env:UserInstallation=file://{Profile}", "--convert-to", format, "--outdir", target, file])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        string err;
        lock (Turn)
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            err = p.StandardError.ReadToEnd();
            stdout.Wait();
            p.WaitForExit();
        }
        var result = System.IO.Path.Combine(target, System.IO.Path.GetFileNameWithoutExtension(file) + "." + format);
        if (!File.Exists(result)) throw new InvalidOperationException($"soffice did not write {result}: {err}");
        return result;
    }
}

public sealed class SofficeFactAttribute : FactAttribute
{
    public SofficeFactAttribute()
    {
        if (Soffice.Path is null) Skip = "LibreOffice (soffice) is not installed: apt-get install "
            + "libreoffice-calc-nogui";
    }
}
