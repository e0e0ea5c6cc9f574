using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.Reference;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// A throwaway database on the benchmark's embedded cluster (.local/postgres-bench, durable with the app's default
/// options, as users run it) holding the real NRW reference (imported with the app's ReferenceImporter), the BENCH
/// provider and, when asked, the synthetic municipalities of <see cref="BenchReturns"/>. Dropped again at tear-down.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public required NpgsqlDataSource Db { get; init; }
    /// <summary>With the password, for a child process (the data source's own string no longer carries it).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    string server = "", name = "";

    public static async Task<BenchDatabase> CreateAsync(string label, bool synthetic)
    {
        var bench = await CreateEmptyAsync(label);
        var db = bench.Db;
        await new ReferenceImporter(db, NullLogger<ReferenceImporter>.Instance).ImportAsync(BenchReturns.ReferenceDir,
            new DateOnly(2024, 12, 31));
        await using (
            var cmd = db.CreateCommand(
                $"insert into providers (code, name) values ('{BenchReturns.Provider}', "
                    + $"'{BenchReturns.ProviderName}') on conflict do nothing"))
            await cmd.ExecuteNonQueryAsync();
        if (synthetic)
        {
            await using var cmd = db.CreateCommand($"""
                insert into districts (key, name, kind, region_key)
                  select '{BenchReturns.SyntheticDistrict}', 'Synthetischer Kreis', 'Kreis', (select key
                    from regions order by key limit 1);
                insert into municipalities (ags, ars, name, kind, district_key, population, population_as_of)
                  select '0599' || lpad(i::text, 4, '0'), '0599' || lpad(i::text, 8, '0'), 'Synthetische Gemeinde ' ||
                    i, 'Gemeinde',
                         '{BenchReturns.SyntheticDistrict}', 10000, '2024-12-31'
                  from generate_series(1, {BenchReturns.SyntheticMunicipalities}) i;
                """);
            await cmd.ExecuteNonQueryAsync();
        }
        return bench;
    }

    /// <summary>A new database on the benchmark cluster with the app's schema and nothing else.</summary>
    public static async Task<BenchDatabase> CreateEmptyAsync(string label)
    {
        var root = Path.Combine(AppPaths.FindContentRoot(), ".local", "postgres-bench");
        var server = await new EmbeddedPostgres(root, new DatabaseOptions(),
            NullLogger.Instance).EnsureStartedAsync("postgres");
        var name = $"bench_{label}_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", conn);
            await create.ExecuteNonQueryAsync();
        }
        var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = name,
            CommandTimeout = 3600 }.ConnectionString);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        return new BenchDatabase { Db = db, server = server, name = name };
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", conn);
        await drop.ExecuteNonQueryAsync();
    }
}
