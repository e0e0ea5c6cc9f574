using Reporting.Uploads;

namespace Reporting.Pipeline;

/// <summary>
/// The one way in for a return (API, portal, inbox, demo): stores the upload (UploadStore) and hands it to the
/// pipeline (<see cref="ReturnPipeline.Received"/>), which queues its ingestion.
/// </summary>
public sealed class UploadIntake(UploadStore store, ReturnPipeline pipeline)
{
    /// <summary>Stores the upload; the pipeline queues its ingestion (queue "ingest") when still needed.</summary>
    public async Task<IntakeReceipt> SubmitAsync(byte[] content, string fileName, string? providerCode,
        string uploadedBy, CancellationToken ct = default)
    {
        await using var spool =
            await UploadSpool.CopyAsync(new MemoryStream(content, writable: false), long.MaxValue, ct);
        return await SubmitAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> SubmitAsync(Stream content, string fileName, string? providerCode,
        string uploadedBy, CancellationToken ct = default)
    {
        await using var spool = await UploadSpool.CopyAsync(content, long.MaxValue, ct);
        return await SubmitAsync(spool, fileName, providerCode, uploadedBy, ct);
    }

    public async Task<IntakeReceipt> SubmitAsync(UploadSpool content, string fileName, string? providerCode,
        string uploadedBy, CancellationToken ct = default)
    {
        var receipt = await store.StoreAsync(content, fileName, providerCode, uploadedBy, ct);
        pipeline.Received(receipt, fileName);
        return receipt;
    }
}
