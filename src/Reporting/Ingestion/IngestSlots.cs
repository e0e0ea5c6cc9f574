using Microsoft.Extensions.Options;
using Reporting.Database;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <summary>
/// A process-wide bound on ingest jobs running at once (Uploads:MaxConcurrentIngests): each holds its upload's
/// bytes and the reader's state, so the workers of every queue must not all ingest large returns together.
/// A job over the bound waits for a slot in its worker; its own work, for the crash guard, begins with the slot
/// (<see cref="JobWork"/>).
/// </summary>
public sealed class IngestSlots(IOptions<UploadsOptions> options) : IDisposable
{
    readonly SemaphoreSlim? slots = options.Value.MaxConcurrentIngests > 0
        ? new(options.Value.MaxConcurrentIngests, options.Value.MaxConcurrentIngests) : null;

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (slots is null)
        {
            await JobWork.BeginsAsync(ct);
            return await work();
        }
        await slots.WaitAsync(ct);
        try
        {
            await JobWork.BeginsAsync(ct);
            return await work();
        }
        finally { slots.Release(); }
    }

    public void Dispose() => slots?.Dispose();
}
