namespace Reporting.Database;

/// <summary>
/// An exclusive lock between processes: .NET maps FileShare.None to flock(2) on Linux, released on exit or crash.
/// </summary>
public sealed class FileLock : IDisposable
{
    readonly FileStream stream;
    FileLock(FileStream stream) => this.stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
