namespace Reporting.Logging;

/// <summary>
/// Appends every log entry, with its full exception, to one file per day (reporting-yyyyMMdd.log). Several
/// processes (serve, workers, verbs) may share the folder: each entry is one append with the file opened shared.
/// </summary>
public sealed class FileLoggerProvider(string directory) : ILoggerProvider
{
    readonly Lock gate = new();
    bool broken;

    public string Directory { get; } = directory;
    public string CurrentFile => Path.Combine(Directory, $"reporting-{DateTime.UtcNow:yyyyMMdd}.log");

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);
    public void Dispose() { }

    void Write(string text)
    {
        lock (gate)
        {
            if (broken) return;
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                using var file = new FileStream(CurrentFile, FileMode.Append, FileAccess.Write,
                    FileShare.ReadWrite | FileShare.Delete);
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                file.Write(bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                broken = true;   // logging must never stop the app; the console still shows warnings and errors
            }
        }
    }

    sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var text = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.fff}Z {Environment.ProcessId} {logLevel} {category}: "
                       + formatter(state, exception) + "\n";
            if (exception is not null) text += exception + "\n";
            provider.Write(text);
        }
    }
}
