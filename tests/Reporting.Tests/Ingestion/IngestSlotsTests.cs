using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Reporting.Database;
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

    [Fact]
    public async Task An_ingest_waiting_for_a_slot_begins_its_work_for_the_crash_guard_only_once_it_holds_one()
    {
        using var slots = new IngestSlots(Options.Create(new UploadsOptions { MaxConcurrentIngests = 1 }));
        var begun = new ConcurrentQueue<string>();
        // Each run in a flow of its own, with its own "work begins" as the crash guard would set it.
        Task<int> Run(string name, Func<Task<int>> work) => Task.Run(() =>
        {
            JobWork.OnBegin(_ => { begun.Enqueue(name); return Task.CompletedTask; });
            return slots.RunAsync(work, CancellationToken.None);
        });
        var release = new TaskCompletionSource<int>();
        var first = Run("first", () => release.Task);
        for (var i = 0; i < 100 && begun.IsEmpty; i++) await Task.Delay(50);
        var second = Run("second", () => Task.FromResult(2));

        await Task.Delay(200);
        Assert.Equal(["first"], begun);
        release.SetResult(1);
        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
        Assert.Equal(["first", "second"], begun);
    }
}
