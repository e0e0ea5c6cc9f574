using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Reporting.Logging;

/// <summary>
/// The terminal's log format: one line per entry, an exception as its type and first message line only. The full
/// trace goes to the log file (<see cref="FileLoggerProvider"/>), so an operator sees what failed, not a screenful.
/// </summary>
public sealed class OneLineConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "oneline";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopeProvider,
        TextWriter textWriter)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        var line = $"{DateTime.Now:HH:mm:ss} {Level(entry.LogLevel)}: {entry.Category}: {message}";
        if (entry.Exception is { } e) line += $" ({Describe(e)})";
        textWriter.WriteLine(Flatten(line, 400));
    }

    /// <summary>"DllNotFoundException: Unable to load ..." of the innermost exception, first line only.</summary>
    public static string Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException
               && e.InnerException is not null)
            e = e.InnerException!;
        return $"{e.GetType().Name}: {e.Message}";
    }

    public static string Flatten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce", LogLevel.Debug => "dbug", LogLevel.Information => "info",
        LogLevel.Warning => "warn", LogLevel.Error => "fail", LogLevel.Critical => "crit", _ => "none",
    };
}
