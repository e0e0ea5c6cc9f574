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
    /// Converts <paramref name="file"/> to <paramref name="format"/> (e.g. "xlsx", "ods") into <paramref
    /// name="outDir"/>/lo/.
    /// </summary>
    public static string Convert(string file, string format, string outDir)
    {
        var target = System.IO.Path.Combine(outDir, "lo");
        Directory.CreateDirectory(target);
        var profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"lo-{Guid.NewGuid():N}");
        var psi = new ProcessStartInfo(Path!,
            ["--headless", $"-env:UserInstallation=file://{profile}", "--convert-to", format, "--outdir", target, file])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
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
