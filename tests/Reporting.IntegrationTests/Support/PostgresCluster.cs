using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;

namespace Reporting.IntegrationTests.Support;

/// <summary>
/// The tests' PostgreSQL: the app's own embedded default (same code users run), in a separate folder, shared by
/// all tests of a run. Each test gets a fresh database with the migrations applied.
/// </summary>
public static class PostgresCluster
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static string? serverConnectionString;

    public static string ClusterRoot { get; } = Path.Combine(TestPaths.RepoRoot, ".local", "postgres-tests");

    public static async Task<string> ServerConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return serverConnectionString ??= await new EmbeddedPostgres(ClusterRoot, FastUnsafeOptions(),
                NullLogger.Instance)
                .EnsureStartedAsync("postgres");
        }
        finally { Gate.Release(); }
    }

    /// <summary>
    /// The tests' opt-in to speed over durability: their data is thrown away, so a crash may lose it. The app's
    /// default keeps PostgreSQL's durability; scratch clusters of single tests keep it too.
    /// </summary>
    public static DatabaseOptions FastUnsafeOptions() => new()
    {
        ExtraServerSettings = { ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off" },
    };

    /// <summary>
    /// Stops a test's own scratch cluster (one it provisioned in <paramref name="root"/>) and deletes it.
    /// </summary>
    public static async Task RemoveScratchAsync(string root)
    {
        NpgsqlConnection.ClearAllPools();
        var pg = new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance);
        await pg.StopAsync();
        if (Directory.Exists(pg.ClusterRoot)) Directory.Delete(pg.ClusterRoot, recursive: true);
        File.Delete(pg.ClusterRoot + ".lock");
        new ClusterSecret(pg.ClusterRoot).Delete();
    }
}

/// <summary>A throwaway database on the test cluster, migrated, dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    TestDatabase(string name, string connectionString, NpgsqlDataSource dataSource)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var server = await PostgresCluster.ServerConnectionStringAsync();
        var name = $"t_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var db = new TestDatabase(name, cs, NpgsqlDataSource.Create(cs));
        if (migrate) await new Migrator(db.DataSource, NullLogger<Migrator>.Instance).MigrateAsync();
        return db;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(await PostgresCluster.ServerConnectionStringAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
