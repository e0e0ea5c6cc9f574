using Hangfire;
using Npgsql;
using Reporting.Ingestion;

namespace Reporting.Uploads;

/// <param name="VersionId">The return version that carries this upload (new or, for known bytes, the existing one).</param>
/// <param name="Recognised">The same bytes had been uploaded before; nothing new was stored or queued.</param>
/// <param name="OwnerCode">The provider the upload belongs to (the uploader, or the provider the file was attributed to).</param>
public sealed record IntakeReceipt(long VersionId, long UploadId, bool Recognised, string Status, string? OwnerCode);

/// <summary>
/// The one way in for a return (API, portal, demo): stores the upload (UploadStore) and queues its ingestion.
/// </summary>
public sealed class UploadIntake(UploadStore store, IBackgroundJobClient jobs)
{
    /// <summary>Stores the upload and queues its ingestion job (queue "ingest") when it still has to be ingested.</summary>
    public async Task<IntakeReceipt> SubmitAsync(byte[] content, string fileName, string? providerCode, string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(new MemoryStream(content, writable: false), long.MaxValue, ct);
        return await SubmitAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> SubmitAsync(Stream content, string fileName, string? providerCode, string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(content, long.MaxValue, ct);
        return await SubmitAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> SubmitAsync(UploadSpool content, string fileName, string? providerCode, string uploadedBy, CancellationToken ct = default)
    {
        var receipt = await store.StoreAsync(content, fileName, providerCode, uploadedBy, ct);
        // A known upload still 'received' may have lost its job (say, the queue was cleared); the job is idempotent.
        if (receipt.Status == "received") Enqueue(jobs, receipt.VersionId, IngestJob.Label(providerCode, fileName));
        return receipt;
    }

    public static string Enqueue(IBackgroundJobClient jobs, long versionId, string label) =>
        jobs.Enqueue<IngestJob>(j => j.RunAsync(versionId, label, CancellationToken.None));
}

/// <summary>
/// Upload storage: the bytes and their SHA-256 are committed to PostgreSQL, with a return version in status
/// 'received', before anyone is told the upload arrived. The same bytes again are recognised by their hash and
/// answered with the version that already carries them. (No Hangfire here: the command line ingests in-process.)
/// </summary>
public sealed class UploadStore(NpgsqlDataSource db)
{
    /// <summary>Rows of upload_chunks hold this many bytes (the last one fewer).</summary>
    public const int ChunkBytes = 1 << 20;

    public async Task<IntakeReceipt> StoreAsync(byte[] content, string fileName, string? providerCode, string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(new MemoryStream(content, writable: false), long.MaxValue, ct);
        return await StoreAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> StoreAsync(Stream content, string fileName, string? providerCode, string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(content, long.MaxValue, ct);
        return await StoreAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> StoreAsync(UploadSpool content, string fileName, string? providerCode, string uploadedBy, CancellationToken ct = default)
    {
        var sha = content.Sha256;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        long? uploadId;
        // A concurrent upload of the same bytes waits here on the unique index and then finds the first one's row.
        await using (var insert = new NpgsqlCommand("""
            with u as (
              insert into uploads (sha256, file_name, size_bytes, provider_code, uploaded_by)
              values ($1, $2, $3, $4, $5)
              on conflict (sha256) do nothing
              returning id),
            v as (
              insert into return_versions (upload_id, provider_code, submitted_by)
              select id, $4, $5 from u)
            select id from u
            """, conn, tx))
        {
            insert.Parameters.Add(new() { Value = sha });
            insert.Parameters.Add(new() { Value = Path.GetFileName(fileName) });
            insert.Parameters.Add(new() { Value = content.Length });
            insert.Parameters.Add(new() { Value = (object?)providerCode ?? DBNull.Value });
            insert.Parameters.Add(new() { Value = uploadedBy });
            try { uploadId = await insert.ExecuteScalarAsync(ct) as long?; }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            { throw new InvalidOperationException($"no provider {providerCode}"); }
        }
        if (uploadId is { } id) await WriteChunksAsync(conn, tx, id, content.Content, ct);

        await using var select = new NpgsqlCommand("""
            select rv.id, u.id, rv.status, coalesce(rv.provider_code, u.provider_code)
            from uploads u join return_versions rv on rv.upload_id = u.id
            where u.sha256 = $1
            """, conn, tx);
        select.Parameters.Add(new() { Value = sha });
        IntakeReceipt receipt;
        await using (var r = await select.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            receipt = new(r.GetInt64(0), r.GetInt64(1), uploadId is null, r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
        }
        await tx.CommitAsync(ct);
        return receipt;
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
