using Npgsql;

namespace Reporting.Uploads;

/// <param name="VersionId">The return version that carries this upload (new or, for known bytes, the existing
/// one).</param>
/// <param name="Recognised">The same bytes had been uploaded before; nothing new was stored or queued.</param>
/// <param name="OwnerCode">The provider the upload belongs to (the uploader, or the provider the file was attributed
/// to).</param>
public sealed record IntakeReceipt(long VersionId, long UploadId, bool Recognised, string Status, string? OwnerCode);

/// <summary>
/// Upload storage: the bytes and their SHA-256 are committed to PostgreSQL, with a return version in status
/// 'received', before anyone is told the upload arrived. Known bytes are recognised per uploader: a provider's own
/// bytes again (or bytes attributed to it) are answered with the version that already carries them; bytes only
/// another provider holds are stored anew for this provider, so the answer never reveals that other provider.
/// Uploads without a provider (command line, inbox, demo: run by the operator) recognise any known bytes.
/// (No Hangfire here: the command line ingests in-process.)
/// </summary>
public sealed class UploadStore(NpgsqlDataSource db)
{
    /// <summary>Rows of upload_chunks hold this many bytes (the last one fewer).</summary>
    public const int ChunkBytes = 1 << 20;

    public async Task<IntakeReceipt> StoreAsync(byte[] content, string fileName, string? providerCode,
        string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(new MemoryStream(content, writable: false), long.MaxValue,
            ct);
        return await StoreAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> StoreAsync(Stream content, string fileName, string? providerCode,
        string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(content, long.MaxValue, ct);
        return await StoreAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> StoreAsync(UploadSpool content, string fileName, string? providerCode,
        string uploadedBy, CancellationToken ct = default)
    {
        var sha = content.Sha256;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        if (await FindAsync(conn, tx, sha, providerCode, ct) is { } known)
        {
            await tx.CommitAsync(ct);
            return known;
        }
        // A concurrent upload of the same bytes by the same uploader waits here on the unique index (provider,
        // sha256) and then finds the first one's row.
        await using (var insert = new NpgsqlCommand("""
            with u as (
              insert into uploads (sha256, file_name, size_bytes, provider_code, uploaded_by)
              values ($1, $2, $3, $4, $5)
              on conflict (provider_code, sha256) do nothing
              returning id)
            insert into return_versions (upload_id, provider_code, submitted_by)
            select id, $4, $5 from u
            returning id, upload_id, status
            """, conn, tx))
        {
            insert.Parameters.Add(new() { Value = sha });
            insert.Parameters.Add(new() { Value = Path.GetFileName(fileName) });
            insert.Parameters.Add(new() { Value = content.Length });
            insert.Parameters.Add(new() { Value = (object?)providerCode ?? DBNull.Value, DataTypeName = "text" });
            insert.Parameters.Add(new() { Value = uploadedBy });
            IntakeReceipt? stored = null;
            try
            {
                await using var r = await insert.ExecuteReaderAsync(ct);
                if (await r.ReadAsync(ct))
                    stored = new IntakeReceipt(r.GetInt64(0), r.GetInt64(1), false, r.GetString(2), providerCode);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            { throw new InvalidOperationException($"no provider {providerCode}"); }
            if (stored is not null)
            {
                await WriteChunksAsync(conn, tx, stored.UploadId, content.Content, ct);
                await tx.CommitAsync(ct);
                return stored;
            }
        }
        var raced = await FindAsync(conn, tx, sha, providerCode, ct)
            ?? throw new InvalidOperationException("an upload of the same bytes vanished while this one waited for it");
        await tx.CommitAsync(ct);
        return raced;
    }

    /// <summary>The version carrying these bytes that this uploader may be told about, or null.</summary>
    static async Task<IntakeReceipt?> FindAsync(NpgsqlConnection conn, NpgsqlTransaction tx, byte[] sha,
        string? providerCode, CancellationToken ct)
    {
        // A provider's own: uploaded by it, or uploaded by the operator and attributed to it.
        await using var select = new NpgsqlCommand("""
            select rv.id, u.id, rv.status, coalesce(rv.provider_code, u.provider_code)
            from uploads u join return_versions rv on rv.upload_id = u.id
            where u.sha256 = $1
              and ($2::text is null or u.provider_code = $2
                   or (u.provider_code is null and rv.provider_code = $2))
            order by (u.provider_code is not distinct from $2) desc, u.id
            limit 1
            """, conn, tx);
        select.Parameters.Add(new() { Value = sha });
        select.Parameters.Add(new() { Value = (object?)providerCode ?? DBNull.Value, DataTypeName = "text" });
        await using var r = await select.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new(r.GetInt64(0), r.GetInt64(1), true, r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
    }

    /// <summary>The bytes as rows of <see cref="ChunkBytes"/>, one buffer reused for all of them.</summary>
    static async Task WriteChunksAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long uploadId, Stream content,
        CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        await using var cmd = new NpgsqlCommand(
            "insert into upload_chunks (upload_id, seq, bytes) values ($1, $2, $3)", conn, tx);
        var seqParam = new NpgsqlParameter<int>();
        var bytesParam = new NpgsqlParameter<ArraySegment<byte>>();
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = uploadId });
        cmd.Parameters.Add(seqParam);
        cmd.Parameters.Add(bytesParam);
        for (var seq = 0; ; seq++)
        {
            var n = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (n == 0) break;
            seqParam.TypedValue = seq;
            bytesParam.TypedValue = new ArraySegment<byte>(buffer, 0, n);
            await cmd.ExecuteNonQueryAsync(ct);
            if (n < buffer.Length) break;
        }
    }
}
