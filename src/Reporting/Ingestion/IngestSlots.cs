using Microsoft.Extensions.Options;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <summary>
/// A process-wide bound on ingest jobs running at once (Uploads:MaxConcurrentIngests): each holds its upload's
/// bytes and the reader's state, so the workers of every queue must not all ingest large returns together.
/// A job over the bound waits for a slot in its worker.
/// </summary>
public sealed class IngestSlots(IOptions<UploadsOptions> options) : IDisposable
{
    readonly SemaphoreSlim? slots = options.Value.MaxConcurrentIngests > 0
        ? new(options.Value.MaxConcurrentIngests, options.Value.MaxConcurrentIngests) : null;

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (slots is null) return await work();
        await slots.WaitAsync(ct);
        try { return await work(); }
        finally { slots.Release(); }
    }

    public void Dispose() => slots?.Dispose();
}
