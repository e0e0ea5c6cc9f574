namespace Reporting.IntegrationTests.Support;

/// <summary>
/// Hangfire keeps its storage in a process-wide static (JobStorage.Current, set when a host's Hangfire
/// configuration is first resolved). Tests that build app hosts with Hangfire run in this collection, one at a
/// time, so no host picks up another test's database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HangfireCollection
{
    public const string Name = "Hangfire";
}

/// <summary>Polling with an upper bound, for things that happen in the background (jobs, workers). Not a timing assertion.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int timeoutSeconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        T value;
        while (!done(value = await probe()))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"gave up waiting for {what} after {timeoutSeconds} s (last: {value})");
            await Task.Delay(200);
        }
        return value;
    }
}
