using System.ComponentModel.DataAnnotations;

namespace Reporting.Database;

/// <summary>Section "Database". Used only when ConnectionStrings:Reporting is empty (the embedded default).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Folder of the local cluster, relative to the content root (the repo root when run from a clone).
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = ".local/postgres";

    [Required]

    public string DatabaseName { get; set; } = "reporting";

    /// <summary>PostgreSQL server binaries; empty means: search PATH, then /usr/lib/postgresql/*/bin.</summary>
    public string BinDirectory { get; set; } = "";

    /// <summary>PostgreSQL refuses to run as root; when we are root the server runs as this OS user.</summary>
    [Required]
    public string OsUser { get; set; } = "postgres";

    /// <summary>
    /// Server settings (<c>-c name=value</c>) the embedded cluster is started with on top of its own. Empty by
    /// default, and then the cluster keeps PostgreSQL's durability: a return acknowledged with 202 survives a crash.
    /// Only the tests' support code puts anything here (durability off, for speed on throwaway data).
    /// </summary>
    public Dictionary<string, string> ExtraServerSettings { get; set; } = [];
}
