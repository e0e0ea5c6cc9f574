using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Reporting.Database;

/// <summary>
/// Applies the plain SQL files of data/schema (embedded in the binary) in name order, each once and in its own
/// transaction, recorded in schema_migrations. A session advisory lock makes concurrent starts safe.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    const long LockKey = 0x5265706f72; // "Repor"

    public static IReadOnlyList<(string Id, string Sql)> Scripts { get; } = LoadScripts();

    /// <returns>The ids of the migrations applied by this call (empty when the schema was current).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await Exec(conn, $"select pg_advisory_lock({LockKey})", ct);
        try
        {
            await Exec(conn, """
                create table if not exists schema_migrations (
                  id text primary key,
                  checksum text not null,
                  applied_at timestamptz not null default now())
                """, ct);
            var applied = new Dictionary<string, string>();
            await using (var cmd = new NpgsqlCommand("select id, checksum from schema_migrations", conn))
            await using (var r = await cmd.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct)) applied[r.GetString(0)] = r.GetString(1);

            var done = new List<string>();
            foreach (var (id, sql) in Scripts)
            {
                var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
                if (applied.TryGetValue(id, out var old))
                {
                    if (old != checksum) logger.LogWarning(
                        "Migration {Id} was changed after it was applied; a new migration file is the way to change "
                            + "the schema", id);
                    continue;
                }
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = new NpgsqlCommand(sql, conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
                await using (var rec = new NpgsqlCommand(
                    "insert into schema_migrations (id, checksum) values ($1, $2)", conn, tx)
                             { Parameters = { new() { Value = id }, new() { Value = checksum } } })
                    await rec.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Id}", id);
                done.Add(id);
            }
            return done;
        }
        finally
        {
            await Exec(conn, $"select pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    static List<(string, string)> LoadScripts()
    {
        var asm = Assembly.GetExecutingAssembly();
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith("schema/", StringComparison.Ordinal)
                && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var s = new StreamReader(asm.GetManifestResourceStream(n)!);
                return (Path.GetFileNameWithoutExtension(n), s.ReadToEnd());
            })
            .ToList();
    }
}
