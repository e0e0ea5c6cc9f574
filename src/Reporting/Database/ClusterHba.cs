namespace Reporting.Database;

/// <summary>
/// The embedded cluster's pg_hba.conf. Clusters created before the lockdown trust every local user; they are
/// recognised by a "trust" rule and rewritten to password authentication (scram-sha-256) for every connection.
/// </summary>
public static class ClusterHba
{
    public const string Method = "scram-sha-256";

    const string Locked = $"""
        # Written by Reporting: every connection needs the password in the cluster's secret file.
        local   all             all                                     {Method}
        host    all             all             127.0.0.1/32            {Method}
        host    all             all             ::1/128                 {Method}
        local   replication     all                                     {Method}
        host    replication     all             127.0.0.1/32            {Method}
        host    replication     all             ::1/128                 {Method}

        """;

    static string PathOf(string dataDir) => Path.Combine(dataDir, "pg_hba.conf");

    /// <summary>True when any rule lets a client in without a password.</summary>
    public static bool TrustsAnyone(string dataDir) =>
        File.ReadLines(PathOf(dataDir))
            .Select(l => l.Split('#', 2)[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Any(tokens => tokens.Length > 0 && tokens.Any(t => t is "trust" or "peer" or "ident"));

    /// <summary>
    /// Replaces the rules in place: truncating the existing file keeps its owner (the server's OS user) and mode.
    /// </summary>
    public static void Lock(string dataDir)
    {
        using var stream = new FileStream(PathOf(dataDir), FileMode.Truncate, FileAccess.Write);
        using var writer = new StreamWriter(stream);
        writer.Write(Locked);
    }
}
