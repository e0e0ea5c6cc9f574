using System.Security.Cryptography;
using Npgsql;

namespace Reporting.Uploads;

/// <summary>
/// An upload on its way in: copied to a temporary file (owner-only, deleted on close) while its SHA-256 is
/// computed and its size limit enforced, so that no part of the app holds the upload as one array.
/// </summary>
public sealed class UploadSpool : IAsyncDisposable
{
    readonly FileStream file;

    UploadSpool(FileStream file, byte[] sha256, long length) => (this.file, Sha256, Length) = (file, sha256, length);

    public byte[] Sha256 { get; }
    public long Length { get; }

    /// <summary>The bytes from the start (the one stream of this spool: read it once at a time).</summary>
    public Stream Content
    {
        get { file.Position = 0; return file; }
    }

    /// <exception cref="UploadTooLargeException">The source has more than maxBytes bytes.</exception>
    public static async Task<UploadSpool> CopyAsync(Stream source, long maxBytes, CancellationToken ct = default)
    {
        var file = CreateTempFile();
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await source.ReadAsync(buffer, ct)) > 0)
            {
                if ((total += n) > maxBytes) throw new UploadTooLargeException();
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            await file.FlushAsync(ct);
            return new UploadSpool(file, hash.GetHashAndReset(), total);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The bytes of one column over every remaining row of a reader opened with SequentialAccess, appended to a
    /// temporary file (<see cref="CreateTempFile"/>) and rewound; null when there were none. Streamed: no array and
    /// no growing connection buffer, whatever the size.
    /// </summary>
    internal static async Task<FileStream?> SpoolRowsAsync(NpgsqlDataReader reader, int column, CancellationToken ct)
    {
        var file = CreateTempFile();
        try
        {
            while (await reader.ReadAsync(ct))
            {
                await using var bytes = await reader.GetStreamAsync(column, ct);
                await bytes.CopyToAsync(file, ct);
            }
            if (file.Length > 0)
            {
                await file.FlushAsync(ct);
                file.Position = 0;
                return file;
            }
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        await file.DisposeAsync();
        return null;
    }

    /// <summary>A read-write temporary file that only this user can open and that disappears when closed.</summary>
    internal static FileStream CreateTempFile()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous, BufferSize = 81920,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.tmp"), options);
    }

    public ValueTask DisposeAsync() => file.DisposeAsync();
}

/// <summary>The upload is larger than the configured limit (answered 413).</summary>
public sealed class UploadTooLargeException : Exception;
