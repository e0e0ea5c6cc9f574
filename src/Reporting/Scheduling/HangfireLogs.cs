using Hangfire.Logging;
using LogLevel = Hangfire.Logging.LogLevel;

namespace Reporting.Scheduling;

/// <summary>
/// Hangfire's log provider is process-global and every host sets its own: in a process with several hosts (tests),
/// a host that was stopped and disposed leaves a logger factory that throws ObjectDisposedException, which would
/// break the jobs of the hosts still running. A log entry that cannot be written is dropped instead.
/// </summary>
public sealed class HangfireLogs(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try { return new Tolerant(inner.GetLogger(name)); }
        catch (ObjectDisposedException) { return Dropped.Instance; }
    }

    sealed class Tolerant(ILog inner) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try { return inner.Log(logLevel, messageFunc, exception); }
            catch (ObjectDisposedException) { return false; }
        }
    }

    sealed class Dropped : ILog
    {
        public static readonly Dropped Instance = new();
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
