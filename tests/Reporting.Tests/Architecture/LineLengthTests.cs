namespace Reporting.Tests.Architecture;

/// <summary>
/// Issue 16: no C# or Razor line longer than 120 characters, in src and tests alike (.editorconfig says the same to
/// editors, but the compiler does not check max_line_length, so the fast suite does).
/// </summary>
public sealed class LineLengthTests
{
    const int MaxLength = 120;

    [Fact]
    public void No_source_line_is_longer_than_120_characters()
    {
        var root = AppPaths.FindContentRoot();
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "tests" })
        {
            foreach (var path in SourceFiles(Path.Combine(root, folder)))
            {
                var lines = File.ReadAllLines(path);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].Length > MaxLength)
                        offenders.Add($"{Path.GetRelativePath(root, path).Replace('\\', '/')}:{i + 1}");
                }
            }
        }

        Assert.True(offenders.Count == 0,
            $"{offenders.Count} lines longer than {MaxLength} characters:\n" + string.Join("\n", offenders));
    }

    static IEnumerable<string> SourceFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
            .Where(p => Path.GetExtension(p) is ".cs" or ".razor")
            .Where(p => !Path.GetRelativePath(dir, p).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);
}
