using Npgsql;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <summary>
/// A stored upload read back as a seekable stream (ZipArchive needs seeking): its chunks are copied row by row
/// into a temporary file that is deleted when the stream is closed. No array of the upload's size is made.
/// </summary>
public static class UploadContent
{
    /// <summary>
    /// The upload of a return version, at position 0; null when its bytes are gone (pruned) or empty.
    /// </summary>
    public static async Task<Stream?> OpenAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long versionId,
        CancellationToken ct = default)
    {
        // Rows written before upload_chunks existed keep their bytes in uploads.content (seq -1, one piece).
        await using var cmd = new NpgsqlCommand("""
            select c.bytes from (
              select ch.seq, ch.bytes from upload_chunks ch
              where ch.upload_id = (select upload_id from return_versions where id = $1)
              union all
              select -1, u.content from uploads u join return_versions rv on rv.upload_id = u.id
              where rv.id = $1 and octet_length(u.content) > 0
            ) c order by c.seq
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = versionId });
        // Sequential: each row's bytes are streamed, not buffered whole in the connection.
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        return await UploadSpool.SpoolRowsAsync(r, 0, ct);
    }

    /// <inheritdoc cref="OpenAsync(NpgsqlConnection, NpgsqlTransaction?, long, CancellationToken)"/>
    public static async Task<Stream?> OpenAsync(NpgsqlDataSource db, long versionId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await OpenAsync(conn, null, versionId, ct);
    }
}
