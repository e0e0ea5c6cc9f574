using Microsoft.Extensions.Options;
using Reporting.Ingestion;
using Reporting.Uploads;

namespace Reporting.Tests.Ingestion;

public sealed class IngestSlotsTests
{
    [Fact]
    public async Task An_ingest_beyond_the_concurrent_limit_waits_until_a_running_one_ends()
    {
        using var slots = new IngestSlots(Options.Create(new UploadsOptions { MaxConcurrentIngests = 1 }));
        var release = new TaskCompletionSource<int>();
        var running = slots.RunAsync(() => release.Task, CancellationToken.None);
        var secondStarted = false;
        var second = slots.RunAsync(() => { secondStarted = true; return Task.FromResult(2); }, CancellationToken.None);

        await Task.Delay(200);
        Assert.False(secondStarted);
        release.SetResult(1);
        Assert.Equal(1, await running);
        Assert.Equal(2, await second);
        Assert.True(secondStarted);
    }
}
