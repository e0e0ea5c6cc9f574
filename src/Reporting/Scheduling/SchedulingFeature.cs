using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
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
        // Storage, job activator and filters belong to this host's container. Hangfire's defaults take them from
        // process-global state (JobStorage.Current, JobActivator.Current, GlobalJobFilters) that every host built
        // in the process overwrites: two hosts in one process (tests) would run each other's jobs on each other's
        // database. Registered before AddHangfire, which keeps registrations that exist.
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();   // compatibility level and serializer first
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            var options = new PostgreSqlStorageOptions
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
            };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(
                sp.GetRequiredService<ReportingDatabase>().ConnectionString, options), options);
            JobStorage.Current = storage;   // for Hangfire's static API; this host's services use their own
            return storage;
        });
        builder.Services.AddSingleton<JobActivator>(sp =>
            new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddSingleton<IJobFilterProvider>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            var own = new JobFilterCollection();
            // After every other filter, so that AutomaticRetry never turns the guard's Failed into another retry.
            own.Add(sp.GetRequiredService<CrashGuard>(), CrashGuard.FilterOrder);
            own.Add(new SucceededJobRetention(TimeSpan.FromDays(o.SucceededJobRetentionDays)));
            own.Add(new RetryDelayScale(o.RetryDelayPercent), RetryDelayScale.FilterOrder);
            return new JobFilterProviderCollection(JobFilterProviders.Providers, own);
        });
        builder.Services.AddHangfire((sp, cfg) => cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogs(new AspNetCoreLogProvider(sp.GetRequiredService<ILoggerFactory>()))));
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
