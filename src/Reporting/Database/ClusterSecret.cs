using System.Security.Cryptography;

namespace Reporting.Database;

/// <summary>
/// The embedded cluster's password: generated once into a file beside the cluster folder (".local/postgres-secret"),
/// mode 0600 and owned by the app's OS user, so other local users cannot read it. Outside the cluster folder,
/// because that folder is handed to the server's OS user when the app runs as root.
/// </summary>
public sealed class ClusterSecret(string clusterRoot)
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string FilePath { get; } = clusterRoot + "-secret";

    public bool Exists => File.Exists(FilePath);

    /// <summary>The stored secret; a new one is generated and stored first when there is none.</summary>
    public string ReadOrCreate()
    {
        if (!Exists)
        {
            // Hex only: safe inside ALTER ROLE ... PASSWORD '...' and in initdb's one-line password file.
            var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            var tmp = FilePath + $".tmp-{Guid.NewGuid():N}";
            WriteOwnerOnly(tmp, secret);
            File.Move(tmp, FilePath, overwrite: false);
        }
        Restrict(FilePath, OwnerOnly);
        return File.ReadAllText(FilePath).Trim();
    }

    /// <summary>Writes a file that only its owner can read, created with that mode (never briefly readable).</summary>
    public static void WriteOwnerOnly(string path, string content)
    {
        File.Delete(path);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, create);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    public void Delete() => File.Delete(FilePath);

    /// <summary>
    /// Sets a file's or folder's Unix mode (a no-op on Windows, where the embedded cluster is not used).
    /// </summary>
    public static void Restrict(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }
}
