using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Reporting.Database;

namespace Reporting.Scheduling;

public static class SchedulingFeature
{
    public const string HangfireSchema = "hangfire";

    /// <summary>Hangfire client and storage on our PostgreSQL (own schema); every process can enqueue.</summary>
    public static void AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SchedulingOptions>(builder.Configuration.GetSection(SchedulingOptions.Section));
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
                        EnableLongPolling = true,
                        QueuePollInterval = TimeSpan.FromSeconds(o.QueuePollSeconds),
                        InvisibilityTimeout = TimeSpan.FromMinutes(o.InvisibilityTimeoutMinutes),
                    });
        });
    }

    /// <summary>A Hangfire server in this process (serve, worker, demo).</summary>
    public static void AddJobServer(this IHostApplicationBuilder builder) =>
        builder.Services.AddHangfireServer((sp, server) =>
        {
            var o = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            server.WorkerCount = o.WorkerCount;
            server.Queues = o.Queues;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(o.SchedulePollingSeconds);
            server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });

    public static void MapScheduling(this WebApplication app) => app.UseHangfireDashboard("/hangfire");
}
