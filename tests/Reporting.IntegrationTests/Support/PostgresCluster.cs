using System.Security.Cryptography;
using System.Text;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Support;

/// <summary>
/// The tests' PostgreSQL: the app's own embedded default (same code users run), in a separate folder, shared by
/// all tests of a run and stopped when the run ends (<see cref="TestRun"/>). Each test gets a fresh database, a
/// copy of a template database that holds the migrated schema.
/// </summary>
public static class PostgresCluster
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static string? serverConnectionString;
    static string? template;

    public static string ClusterRoot { get; } = Path.Combine(TestPaths.RepoRoot, ProjectClusters.TestClusterFolder);

    /// <summary>
    /// Set by the run's start when no other test process of this clone runs: drop leftover databases.
    /// </summary>
    internal static bool SweepStaleDatabasesOnStart { get; set; }

    public static async Task<string> ServerConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (serverConnectionString is not null) return serverConnectionString;
            var cs = await new EmbeddedPostgres(ClusterRoot, FastUnsafeOptions(), NullLogger.Instance)
                .EnsureStartedAsync("postgres");
            if (SweepStaleDatabasesOnStart) await DropDatabasesAsync(cs, "t\\_%");
            return serverConnectionString = cs;
        }
        finally { Gate.Release(); }
    }

    /// <summary>
    /// The template every migrated test database is copied from: the migrations and Hangfire's schema applied
    /// once, not once per test. Named by the migrations' content, so a changed or added migration builds a new one;
    /// kept in the cluster across runs.
    /// </summary>
    internal static async Task<string> MigratedTemplateAsync()
    {
        var server = await ServerConnectionStringAsync();
        await Gate.WaitAsync();
        try
        {
            if (template is not null) return template;
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
                Migrator.Scripts.Select(s => s.Id + "\n" + s.Sql)) + typeof(PostgreSqlStorage).Assembly.FullName)));
            var name = $"tmpl_{hash[..16].ToLowerInvariant()}";
            await using var conn = new NpgsqlConnection(server);
            await conn.OpenAsync();
            await using (var exists = new NpgsqlCommand(
                "select 1 from pg_database where datname = $1 and datistemplate", conn)
                { Parameters = { new() { Value = name } } })
                if (await exists.ExecuteScalarAsync() is not null) return template = name;

            await DropDatabasesAsync(server, "tmpl%");
            // Built under another name and renamed when complete: a run killed halfway leaves no half template.
            var building = $"tmpl_build_{Guid.NewGuid():N}";
            await ExecAsync(conn, $"create database {building}");
            var cs = new NpgsqlConnectionStringBuilder(server) { Database = building, Pooling = false }
                .ConnectionString;
            await using (var ds = NpgsqlDataSource.Create(cs))
            {
                await new Migrator(ds, NullLogger<Migrator>.Instance).MigrateAsync();
                await using var hc = await ds.OpenConnectionAsync();
                PostgreSqlObjectsInstaller.Install(hc, SchedulingFeature.HangfireSchema);
            }
            await ExecAsync(conn, $"alter database {building} rename to {name}");
            await ExecAsync(conn, $"alter database {name} is_template true");
            return template = name;
        }
        finally { Gate.Release(); }
    }

    /// <summary>Stops the shared cluster (the run's end); the next run starts it again.</summary>
    public static async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await new EmbeddedPostgres(ClusterRoot, new DatabaseOptions(), NullLogger.Instance).StopAsync();
        serverConnectionString = null;
    }

    static async Task DropDatabasesAsync(string server, string likePattern)
    {
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        var names = new List<string>();
        await using (var cmd = new NpgsqlCommand("select datname from pg_database where datname like $1", conn)
            { Parameters = { new() { Value = likePattern } } })
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) names.Add(r.GetString(0));
        foreach (var n in names)
        {
            await ExecAsync(conn, $"alter database \"{n}\" is_template false");
            await ExecAsync(conn, $"drop database if exists \"{n}\" with (force)");
        }
    }

    internal static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
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
        // A scratch folder may hold clusters of its own (a clone's .local, see DbStopTests): those are stopped too.
        if (Directory.Exists(root))
            foreach (var nested in Directory.GetFiles(root, "PG_VERSION", SearchOption.AllDirectories)
                .Select(Path.GetDirectoryName).Where(d => Path.GetFileName(d) == "data")
                .Select(d => Path.GetDirectoryName(d)!).Where(d => d != Path.GetFullPath(root)))
                await new EmbeddedPostgres(nested, new DatabaseOptions(), NullLogger.Instance).StopAsync();
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

    /// <param name="migrate">
    /// True: the schema of every migration (and Hangfire's), as the app leaves a database after its first start.
    /// False: an empty database, for tests of the migrations themselves.
    /// </param>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var server = await PostgresCluster.ServerConnectionStringAsync();
        var template = migrate ? await PostgresCluster.MigratedTemplateAsync() : null;
        var name = $"t_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await PostgresCluster.ExecAsync(conn, template is null
                ? $"create database {name}"
                : $"create database {name} template {template}");
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestDatabase(name, cs, NpgsqlDataSource.Create(cs));
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
