using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.Uploads;

namespace Reporting.Pipeline;

/// <summary>Section "Inbox": a folder whose workbooks are submitted like uploads (bulk loading). Empty: off.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>The folder, relative to the content root; processed files move to its subfolder "eingelesen".</summary>
    public string Folder { get; set; } = "";

    /// <summary>How often the recurring job scans (cron, Hangfire syntax).</summary>
    [Required]
    public string Cron { get; set; } = "*/1 * * * *";

    /// <summary>
    /// Files written to less than this long ago are left for the next scan (they may still be copied).
    /// </summary>
    [Range(0, 86_400)]
    public int MinAgeSeconds { get; set; } = 5;
}

/// <summary>
/// The inbox job: every *.xlsx in the folder goes through the same intake as an API upload (bytes stored, the
/// same bytes recognised, one ingest job each), then moves to "eingelesen". Files are attributed by their cover.
/// </summary>
public sealed class InboxScanner(UploadIntake intake, IOptions<InboxOptions> options, AppPaths paths,
    ILogger<InboxScanner> log)
{
    public const string RecurringJobId = "inbox-scan";
    public const string DoneFolder = "eingelesen";

    [Queue("ingest")]
    [AutomaticRetry(Attempts = 0)]   // the next scheduled scan is the retry
    [JobDisplayName("Eingangsordner einlesen")]
    public async Task<int> ScanAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Folder)) return 0;
        var folder = paths.Resolve(options.Value.Folder);
        if (!Directory.Exists(folder)) return 0;
        var done = Directory.CreateDirectory(Path.Combine(folder, DoneFolder)).FullName;
        var submitted = 0;
        foreach (var file in Directory.GetFiles(folder, "*.xlsx").Order(StringComparer.Ordinal))
        {
            if (File.GetLastWriteTimeUtc(file) > DateTime.UtcNow.AddSeconds(-options.Value.MinAgeSeconds)) continue;
            var name = Path.GetFileName(file);
            IntakeReceipt receipt;
            await using (var content = File.OpenRead(file))
                receipt = await intake.SubmitAsync(content, name, null, "inbox", ct);
            // Moved only after the bytes are committed: a crash in between means the next scan recognises them.
            File.Move(file, Path.Combine(done, $"{receipt.VersionId}-{name}"), overwrite: true);
            log.LogInformation("Inbox file {File} submitted as return version {VersionId}{Known}", name,
                receipt.VersionId, receipt.Recognised ? " (known bytes)" : "");
            submitted++;
        }
        return submitted;
    }

    /// <summary>Registers (or removes) the recurring scan at start, in processes that run the app's services.</summary>
    internal sealed class Schedule(IOptions<InboxOptions> options, IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            if (string.IsNullOrWhiteSpace(options.Value.Folder)) return Task.CompletedTask;
            services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<InboxScanner>(RecurringJobId, s => s.ScanAsync(CancellationToken.None),
                    options.Value.Cron);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
