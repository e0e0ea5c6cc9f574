using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Reporting.Database;
using Reporting.Scheduling.Deadlines;
using Reporting.Web;

namespace Reporting.Scheduling;

public static class SchedulingFeature
{
    public const string HangfireSchema = "hangfire";

    /// <summary>Hangfire client and storage on our PostgreSQL (own schema); every process can enqueue.</summary>
    public static void AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SchedulingOptions>(builder.Configuration.GetSection(SchedulingOptions.Section));
        builder.Services.Configure<DeadlineOptions>(builder.Configuration.GetSection(DeadlineOptions.Section));
        builder.Services.AddHangfire((sp, cfg) =>
        {
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(c => c.UseNpgsqlConnection(sp.GetRequiredService<ReportingDatabase>().ConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = HangfireSchema,
                        PrepareSchemaIfNecessary = true,
                        // LISTEN/NOTIFY: a job enqueued by the web process or another worker wakes idle workers at once
                        // (measured 13-32 ms instead of 0-15 s); QueuePollInterval is only the fallback.
                        EnableLongPolling = true,
                        QueuePollInterval = TimeSpan.FromSeconds(o.QueuePollSeconds),
                        InvisibilityTimeout = TimeSpan.FromSeconds(o.InvisibilityTimeoutSeconds),
                    });
        });
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

    /// <summary>The job console at /hangfire: admins only (cookie sign-in), checked by the endpoint policy and by Hangfire's own filter.</summary>
    public static void MapScheduling(this WebApplication app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],   // not the default LocalRequestsOnly: behind a proxy every request looks local
            AsyncAuthorization = [new AdminDashboardAuthorizationFilter()],
            DashboardTitle = "Jobkonsole Kennzahlen",
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Auth.AdminPolicy);
}
