using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Database;

/// <summary>
/// Resolves the connection string once per process: ConnectionStrings:Reporting when set (nothing is started),
/// otherwise the embedded cluster, provisioned on first use. Owns the process-wide NpgsqlDataSource.
/// </summary>
public sealed class ReportingDatabase : IDisposable
{
    readonly Lazy<string> connectionString;
    readonly Lazy<NpgsqlDataSource> dataSource;

    public ReportingDatabase(IConfiguration configuration, IOptions<DatabaseOptions> options, AppPaths paths,
        ILoggerFactory loggers)
    {
        var configured = configuration.GetConnectionString("Reporting");
        IsEmbedded = string.IsNullOrWhiteSpace(configured);
        Embedded = new EmbeddedPostgres(paths.Resolve(options.Value.DataDirectory), options.Value,
            loggers.CreateLogger<EmbeddedPostgres>());
        connectionString = new(() => IsEmbedded
            ? Embedded.EnsureStartedAsync(options.Value.DatabaseName).GetAwaiter().GetResult() : configured!);
        dataSource = new(() => new NpgsqlDataSourceBuilder(connectionString.Value).UseLoggerFactory(loggers).Build());
    }

    public bool IsEmbedded { get; }
    public EmbeddedPostgres Embedded { get; }
    public NpgsqlDataSource DataSource => dataSource.Value;

    /// <summary>The full connection string (with password, if any): for Hangfire's storage, never for logs.</summary>
    public string ConnectionString => connectionString.Value;

    public void Dispose()
    {
        if (dataSource.IsValueCreated) dataSource.Value.Dispose();
    }
}
