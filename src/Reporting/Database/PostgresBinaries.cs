namespace Reporting.Database;

/// <summary>Finds initdb/pg_ctl: the configured folder, PATH, then the newest /usr/lib/postgresql/*/bin.</summary>
public static class PostgresBinaries
{
    public const string InstallHint =
        "No PostgreSQL server binaries (initdb, pg_ctl) were found. Install them with " +
        "'apt-get install postgresql' (Debian/Ubuntu), set Database:BinDirectory to their folder, " +
        "or point the app at a running server with "
            + "ConnectionStrings__Reporting=\"Host=...;Username=...;Password=...;Database=...\".";

    public static string Find(string configured, string? searchPath = null, string libRoot = "/usr/lib/postgresql")
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(configured)) candidates.Add(configured);
        candidates.AddRange((searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries));
        if (Directory.Exists(libRoot))
        {
            candidates.AddRange(Directory.GetDirectories(libRoot)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb"))
            && File.Exists(Path.Combine(dir, "pg_ctl")))
            ?? throw new InvalidOperationException(InstallHint);
    }
}
