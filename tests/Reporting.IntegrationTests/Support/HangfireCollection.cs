namespace Reporting.IntegrationTests.Support;

/// <summary>
/// Tests that resolve Hangfire (client, storage, job server). Hangfire.AspNetCore's AddHangfire configures the
/// process-global GlobalConfiguration/JobStorage.Current and hands that to the container, so two hosts on two test
/// databases must not be built at the same time: these tests run one after another, after the parallel ones.
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
