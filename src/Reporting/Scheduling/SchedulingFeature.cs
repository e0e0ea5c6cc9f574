using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Reporting.Database;
using Reporting.Scheduling.Deadlines;

namespace Reporting.Scheduling;

public static class SchedulingFeature
{
    public const string HangfireSchema = "hangfire";

    /// <summary>Hangfire client and storage on our PostgreSQL (own schema); every process can enqueue.</summary>
    public static void AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DeadlinesOptions>().BindConfiguration(DeadlinesOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHangfire((sp, cfg) =>
        {
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(c
                    => c.UseNpgsqlConnection(sp.GetRequiredService<ReportingDatabase>().ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = HangfireSchema,
                        PrepareSchemaIfNecessary = true,
                        // LISTEN/NOTIFY: a job enqueued by the web process or another worker wakes idle workers at once
                        // (measured 13-32 ms instead of 0-15 s); QueuePollInterval is only the fallback.
                        EnableLongPolling = true,
                        QueuePollInterval = TimeSpan.FromSeconds(o.QueuePollSeconds),
                        InvisibilityTimeout = TimeSpan.FromSeconds(o.InvisibilityTimeoutSeconds),
                        // A running job keeps its claim alive, so only a dead worker's job is fetched again: the
                        // premise of the CrashGuard's count (a job longer than the timeout is not run twice).
                        UseSlidingInvisibilityTimeout = true,
                    });
            UseCrashGuard(sp.GetRequiredService<CrashGuard>());
            UseSucceededJobRetention(TimeSpan.FromDays(o.SucceededJobRetentionDays));
        });
        builder.Services.AddSingleton<CrashGuard>();
        builder.Services.AddSingleton<JobFileLoader>();
        builder.Services.AddSingleton<JobFileSync>();
        builder.Services.AddSingleton<DeadlineCheck>();
        builder.Services.AddSingleton<SubscriptionSender>();
        // TryAdd: a host (a test) that registered its own source keeps it.
        builder.Services.TryAddSingleton<IExecutiveReportSource, RenderedExecutiveReports>();
        builder.Services.AddTransient<ScheduledJobs>();
        builder.Services.AddTransient<ProbeJobs>();
    }

    /// <summary>
    /// Hangfire's filters are process-global: the guard of the host built last replaces any earlier one (a test
    /// process builds many hosts), and runs after every other filter (see <see cref="CrashGuard"/>).
    /// </summary>
    static void UseCrashGuard(CrashGuard guard)
    {
        foreach (var old in GlobalJobFilters.Filters.Where(f => f.Instance is CrashGuard).ToList())
            GlobalJobFilters.Filters.Remove(old.Instance);
        GlobalJobFilters.Filters.Add(guard, CrashGuard.FilterOrder);
    }

    /// <summary>
    /// Process-global like the guard: the host built last decides how long succeeded jobs are kept. The expiry is
    /// set where the state changes, so every process that runs jobs (serve, each worker) must carry it.
    /// </summary>
    static void UseSucceededJobRetention(TimeSpan keep)
    {
        foreach (var old in GlobalJobFilters.Filters.Where(f => f.Instance is SucceededJobRetention).ToList())
            GlobalJobFilters.Filters.Remove(old.Instance);
        GlobalJobFilters.Filters.Add(new SucceededJobRetention(keep));
    }

    /// <summary>
    /// A Hangfire server in this process (serve, worker, demo). The jobs/ files are validated and synced first:
    /// a bad file is left out (logged, shown by /health and the admin console), the others run.
    /// </summary>
    public static void AddJobServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<JobFileSyncOnStart>();
        // Built-in recurring jobs are registered where jobs run, not by every command-line process.
        builder.Services.AddHostedService<Uploads.RejectedUploadPruning.Schedule>();
        builder.Services.AddHangfireServer((sp, server) =>
        {
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            server.WorkerCount = o.WorkerCount;
            server.Queues = o.Queues;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(o.SchedulePollingSeconds);
            server.HeartbeatInterval = TimeSpan.FromSeconds(o.HeartbeatSeconds);
            server.ServerTimeout = TimeSpan.FromSeconds(o.ServerTimeoutSeconds);
            server.ShutdownTimeout = TimeSpan.FromSeconds(o.ShutdownTimeoutSeconds);
            server.ServerName = Environment.MachineName;   // Hangfire appends ":{process id}:{unique id}"
        });
    }
}
