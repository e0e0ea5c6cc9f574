using Npgsql;

namespace Reporting.Database;

public static class DatabaseFeature
{
    public static void AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReportingDatabase>();
        builder.Services.AddSingleton<NpgsqlDataSource>(sp => sp.GetRequiredService<ReportingDatabase>().DataSource);
        builder.Services.AddSingleton<Migrator>();
        // Registered first, so the schema is current before anything else (Hangfire among them) starts.
        builder.Services.AddHostedService<MigrateOnStart>();
    }

    sealed class MigrateOnStart(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => migrator.MigrateAsync(ct);
        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
