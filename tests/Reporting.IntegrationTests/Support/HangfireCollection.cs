namespace Reporting.IntegrationTests.Support;

/// <summary>
/// For a test class that must not run beside any other (none does now: each host has its own Hangfire storage,
/// job activator and filters, so hosts on different test databases run side by side). Such a class runs after
/// the parallel ones and makes the whole suite wait for it: keep it rare.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireCollection
{
    public const string Name = "Hangfire";
}

/// <summary>
/// Polling with an upper bound, for things that happen in the background (jobs, workers). Not a timing assertion.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what,
        int timeoutSeconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        T value;
        while (!done(value = await probe()))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException(
                $"gave up waiting for {what} after {timeoutSeconds} s (last: {value})");
            await Task.Delay(200);
        }
        return value;
    }
}
