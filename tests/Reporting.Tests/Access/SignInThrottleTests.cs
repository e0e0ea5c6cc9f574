using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.Web;
using Reporting.Access;

namespace Reporting.Tests.Access;

public sealed class SignInThrottleTests
{
    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    sealed class Recorder : ILogger<SignInThrottle>
    {
        public List<string> Warnings { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?,
            string> f)
        {
            if (level == LogLevel.Warning) Warnings.Add(f(state, e));
        }
    }

    static readonly SignInOptions Defaults = new();

    [Fact]
    public void The_delay_is_nothing_for_the_first_failures_then_doubles_up_to_its_cap()
    {
        var delays = Enumerable.Range(1, 10).Select(n => SignInThrottle.Delay(n, Defaults).TotalMilliseconds).ToArray();

        Assert.Equal([0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000], delays);
    }

    [Fact]
    public void A_key_is_locked_after_the_limit_the_lockout_is_logged_once_and_it_opens_after_the_window()
    {
        var clock = new Clock();
        var log = new Recorder();
        var throttle = new SignInThrottle(Options.Create(new SignInOptions()), clock, log);
        var account = "address 192.0.2.1";

        for (var i = 0; i < 9; i++) throttle.RecordFailure($"address 10.0.0.{i}", account);
        Assert.False(throttle.IsLockedOut("address 10.0.0.99", account));
        throttle.RecordFailure("address 10.0.0.9", "address 192.0.2.1");
        throttle.RecordFailure("address 10.0.0.10", account);

        Assert.True(throttle.IsLockedOut("address 10.0.0.99", account));
        Assert.False(throttle.IsLockedOut("address 10.0.0.99", "address 192.0.2.2"));
        Assert.Single(log.Warnings);
        Assert.Contains("address 192.0.2.1", log.Warnings[0]);
        clock.Now = clock.Now.AddMinutes(5);
        Assert.Equal(10 * 60, throttle.RetryAfterSeconds(account));

        clock.Now = clock.Now.AddMinutes(11);
        Assert.False(throttle.IsLockedOut("address 10.0.0.99", account));
    }

    [Fact]
    public void Failures_from_one_address_do_not_lock_another()
    {
        var throttle = new SignInThrottle(Options.Create(new SignInOptions()), new Clock(), new Recorder());

        for (var i = 0; i < 25; i++) throttle.RecordFailure("address 192.0.2.1");

        Assert.True(throttle.IsLockedOut("address 192.0.2.1"));
        Assert.False(throttle.IsLockedOut("address 192.0.2.2"));
    }
}
