using System.Globalization;
using Hangfire;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>A job for these tests: its only retry is declared ten minutes after its failure.</summary>
public static class SlowRetryJobs
{
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = new[] { 600 })]
    public static void Fail() => throw new InvalidOperationException("fails (test)");
}

/// <summary>Scheduling:RetryDelayPercent scales the retry delays the jobs declare; by default they stay.</summary>
public sealed class RetryDelayScaleTests
{
    [Theory]
    [InlineData(null, 600)]
    [InlineData("100", 600)]
    [InlineData("1", 6)]
    public async Task A_failed_jobs_retry_is_scheduled_after_the_declared_delay_times_the_configured_percent(
        string? percent, int expectedSeconds)
    {
        await using var db = await TestDatabase.CreateAsync();
        var settings = new List<(string, string)> { ("Scheduling:SchedulePollingSeconds", "1"),
            ("Logging:LogLevel:Default", "Critical") };
        if (percent is not null) settings.Add(("Scheduling:RetryDelayPercent", percent));
        using var host = TestApp.Build(db, b => b.AddJobServer(), [.. settings]);
        await host.StartAsync();
        try
        {
            var storage = host.Services.GetRequiredService<JobStorage>();
            var id = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => SlowRetryJobs.Fail());

            var scheduled = await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi()
                .JobDetails(id).History.FirstOrDefault(h => h.StateName == "Scheduled")), h => h is not null,
                "the retry to be scheduled");

            // The delay as stored with the state (both instants written when the retry was scheduled).
            var delay = Instant(scheduled!.Data["EnqueueAt"]) - Instant(scheduled.Data["ScheduledAt"]);
            Assert.InRange(delay.TotalSeconds, expectedSeconds - 1, expectedSeconds + 0.5);
            Assert.StartsWith("Retry attempt 1 of 1", scheduled.Reason);
        }
        finally { await host.StopAsync(); }
    }

    static DateTime Instant(string stored) => long.TryParse(stored, CultureInfo.InvariantCulture, out var ms)
        ? DateTime.UnixEpoch.AddMilliseconds(ms)
        : DateTime.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
}
