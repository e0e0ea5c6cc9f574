using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <summary>
/// The feedback workbook of a decided return version: built once (<see cref="FeedbackWorkbook"/>), stored in
/// return_feedback, and served from there. Builds in this process run one at a time, so concurrent requests for
/// big files cost one build's memory, not many.
/// </summary>
public sealed class FeedbackStore(NpgsqlDataSource db, ReturnVersions versions, IOptions<UploadsOptions> limits)
{
    static readonly SemaphoreSlim Building = new(1, 1);

    /// <summary>
    /// The stored workbook as one array (for callers that need it whole, e.g. the CLI); null as for
    /// <see cref="OpenAsync"/>.
    /// </summary>
    public async Task<byte[]?> GetAsync(long versionId, CancellationToken ct = default)
    {
        await using var file = await OpenAsync(versionId, ct);
        if (file is null) return null;
        var bytes = new byte[file.Length];
        await file.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    /// <summary>
    /// The stored workbook, built now if it is not stored yet, as a temporary file (deleted on dispose) positioned
    /// at its start; null for an unknown or undecided version. No whole array: the workbook may be as large as the
    /// upload (100 MB).
    /// </summary>
    public async Task<FileStream?> OpenAsync(long versionId, CancellationToken ct = default)
    {
        if (await StoredAsync(versionId, ct) is { } stored) return stored;
        var v = await versions.GetAsync(versionId, ct);
        if (v is null || v.Status == ReturnStates.Received) return null;
        await Building.WaitAsync(ct);
        try
        {
            if (await StoredAsync(versionId, ct) is { } built) return built;
            // A rejected upload whose bytes were pruned after the retention period has nothing left to mark.
            await using var content = await UploadContent.OpenAsync(db, versionId, ct);
            if (content is null) return null;
            var parsed = new ParsedReturn();
            parsed.Messages.AddRange(v.Messages);
            // Built into a temporary file and stored from it: no growing buffer.
            var output = Uploads.UploadSpool.CreateTempFile();
            try
            {
                FeedbackWorkbook.Write(content, v.FileName, parsed, output, limits.Value);
                await output.FlushAsync(ct);
                output.Position = 0;
                await using (var cmd = db.CreateCommand("""
                    insert into return_feedback (return_version_id, content) values ($1, $2)
                    on conflict (return_version_id) do nothing
                    """))
                {
                    cmd.Parameters.Add(new() { Value = versionId });
                    cmd.Parameters.Add(new() { Value = output, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                output.Position = 0;
                return output;
            }
            catch
            {
                await output.DisposeAsync();
                throw;
            }
        }
        finally { Building.Release(); }
    }

    async Task<FileStream?> StoredAsync(long versionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select content from return_feedback where return_version_id = $1");
        cmd.Parameters.Add(new() { Value = versionId });
        // Sequential and streamed: the bytes go to a temporary file, not into the connection's read buffer.
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        return await Uploads.UploadSpool.SpoolRowsAsync(r, 0, ct);
    }
}
