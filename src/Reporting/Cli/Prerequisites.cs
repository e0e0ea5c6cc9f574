using Microsoft.Extensions.Options;
using Reporting.Database;
using SkiaSharp;

namespace Reporting.Cli;

/// <summary>What a verb needs from the machine besides the database, checked before it does any work.</summary>
[Flags]
public enum Needs { None = 0, Charts = 1, Output = 2 }

/// <summary>
/// Thrown before any work when the machine lacks something; each problem: one line saying how to fix it.
/// </summary>
public sealed class PrerequisitesMissingException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The machine's prerequisites: PostgreSQL server binaries (for the embedded cluster), the charts' font, a writable
/// output folder. Checked up front, so a missing piece is one line at the start instead of a failed job later.
/// </summary>
public static class Prerequisites
{
    public const string ChartFont = "DejaVu Sans";

    public static IReadOnlyList<string> Check(IServiceProvider services, bool database, Needs needs, string? output)
    {
        var problems = new List<string>();
        var db = services.GetRequiredService<ReportingDatabase>();
        var binaries = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.BinDirectory;
        if (database && db.IsEmbedded && PostgresProblem(binaries) is { } p) problems.Add(p);
        if (needs.HasFlag(Needs.Charts) && FontProblem(ChartFont) is { } f) problems.Add(f);
        var folder = output ?? services.GetRequiredService<AppPaths>().Output;
        if (needs.HasFlag(Needs.Output) && OutputProblem(folder) is { } o) problems.Add(o);
        return problems;
    }

    public static string? PostgresProblem(
        string binDirectory, string? searchPath = null, string libRoot = "/usr/lib/postgresql")
    {
        try { PostgresBinaries.Find(binDirectory, searchPath, libRoot); return null; }
        catch (InvalidOperationException e) { return e.Message; }
    }

    public static string? FontProblem(string family)
    {
        using var typeface = SKFontManager.Default.MatchFamily(family);
        return typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The charts' font '{family}' is not installed. "
              + "Install it with 'apt-get install fonts-dejavu-core' (Debian/Ubuntu).";
    }

    public static string? OutputProblem(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"The output folder {dir} is not writable ({e.Message.TrimEnd('.')}). "
                   + "Choose another with --out or Paths:Output.";
        }
    }
}
