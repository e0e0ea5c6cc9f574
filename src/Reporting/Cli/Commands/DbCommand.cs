using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reporting.Cli;
using Reporting.Database;

namespace Reporting.Cli.Commands;

/// <summary><c>db start|stop|migrate|status</c>: the embedded cluster and the schema.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var start = new Command("start",
            "Provision (first time) and start the embedded PostgreSQL cluster, apply migrations.");
        start.SetAction((_, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var db = host.Get<ReportingDatabase>();
            Console.WriteLine(db.IsEmbedded ? await db.Embedded.StatusAsync(
                ct) : "using the configured server (ConnectionStrings:Reporting); nothing to start");
            return 0;
        }, ct));

        var stop = new Command("stop",
            "Stop every embedded PostgreSQL cluster of this clone (the app's, the tests', scratch clusters).");
        stop.SetAction((_, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var db = host.Get<ReportingDatabase>();
            if (!db.IsEmbedded) Console.WriteLine("using the configured server; stopping only local clusters");
            var stopped = await ProjectClusters.StopAllAsync(host.Get<AppPaths>(),
                host.Get<IOptions<DatabaseOptions>>().Value, host.Get<ILoggerFactory>().CreateLogger("db"), ct);
            foreach (var root in stopped) Console.WriteLine($"stopped: {root}");
            if (stopped.Count == 0) Console.WriteLine("was not running: no embedded cluster of this clone runs");
            return 0;
        }, ct, migrate: false));

        var migrate = new Command("migrate", "Apply the SQL migrations in data/schema that are not applied yet.");
        migrate.SetAction((_, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var applied = await host.Get<Migrator>().MigrateAsync(ct);
            Console.WriteLine(applied.Count == 0
                ? $"schema is current ({Migrator.Scripts.Count} migrations)"
                : $"applied: {string.Join(", ", applied)}");
            return 0;
        }, ct, migrate: false));

        var status = new Command("status", "Where the database is and which migrations are applied.");
        status.SetAction((_, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var db = host.Get<ReportingDatabase>();
            Console.WriteLine(db.IsEmbedded
                ? await db.Embedded.StatusAsync(ct) : "configured server (ConnectionStrings:Reporting)");
            if (db.IsEmbedded && !(await db.Embedded.StatusAsync(ct)).Contains(": running")) return 0;
            await using var cmd = db.DataSource.CreateCommand("select count(*), max(id) from schema_migrations");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            Console.WriteLine(
                $"migrations applied: {r.GetInt64(0)} of {Migrator.Scripts.Count} (latest "
                    + $"{(r.IsDBNull(1) ? "none" : r.GetString(1))})");
            return 0;
        }, ct, migrate: false));

        return new Command("db", "The database: embedded cluster and schema migrations.") { start, stop, migrate,
            status };
    }
}
