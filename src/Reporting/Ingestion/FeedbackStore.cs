using Microsoft.Extensions.Options;
using Npgsql;

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
    /// The stored workbook, built now if it is not stored yet; null for an unknown or undecided version.
    /// </summary>
    public async Task<byte[]?> GetAsync(long versionId, CancellationToken ct = default)
    {
        if (await StoredAsync(versionId, ct) is { } stored) return stored;
        var v = await versions.GetAsync(versionId, ct);
        if (v is null || v.Status == "received") return null;
        await Building.WaitAsync(ct);
        try
        {
            if (await StoredAsync(versionId, ct) is { } built) return built;
            // A rejected upload whose bytes were pruned after the retention period has nothing left to mark.
            await using var content = await UploadContent.OpenAsync(db, versionId, ct);
            if (content is null) return null;
            var parsed = new ParsedReturn();
            parsed.Messages.AddRange(v.Messages);
            // Built into a temporary file and stored from it: no growing buffer, one array for the caller at most.
            await using var output = Uploads.UploadSpool.CreateTempFile();
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
            var bytes = new byte[output.Length];
            output.Position = 0;
            await output.ReadExactlyAsync(bytes, ct);
            return bytes;
        }
        finally { Building.Release(); }
    }

    async Task<byte[]?> StoredAsync(long versionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select content from return_feedback where return_version_id = $1");
        cmd.Parameters.Add(new() { Value = versionId });
        // Sequential: the bytes go straight into one array, not first into the connection's growing read buffer.
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        return await r.ReadAsync(ct) ? await r.GetFieldValueAsync<byte[]>(0, ct) : null;
    }
}
