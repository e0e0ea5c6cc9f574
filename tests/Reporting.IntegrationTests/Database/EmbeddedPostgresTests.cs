using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Database;

public sealed class EmbeddedPostgresTests : IAsyncLifetime
{
    readonly string root = Path.Combine(TestPaths.RepoRoot, ".local", $"pg-provision-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_new_cluster_is_created_started_and_reused_by_the_next_start()
    {
        var pg = new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance);
        var first = await pg.EnsureStartedAsync("reporting");
        var initialisedAt = File.GetLastWriteTimeUtc(Path.Combine(pg.ClusterRoot, "data", "PG_VERSION"));

        var second = await new EmbeddedPostgres(root, new DatabaseOptions(),
            NullLogger.Instance).EnsureStartedAsync("reporting");

        Assert.Equal(first, second);
        Assert.Equal(initialisedAt, File.GetLastWriteTimeUtc(Path.Combine(pg.ClusterRoot, "data", "PG_VERSION")));
        Assert.Equal("reporting", await ScalarAsync(second, "select current_database()"));
        Assert.Empty(Directory.GetDirectories(pg.ClusterRoot, "data.tmp-*"));
    }

    [Fact]
    public async Task A_stopped_cluster_starts_again_with_its_data()
    {
        var pg = new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance);
        var cs = await pg.EnsureStartedAsync("reporting");
        await ScalarAsync(cs, "create table kept (x int); insert into kept values (42); select 1");

        Assert.True(await pg.StopAsync());
        Assert.Contains("stopped", await pg.StatusAsync());
        NpgsqlConnection.ClearAllPools();

        var again = await pg.EnsureStartedAsync("reporting");
        Assert.Equal("42", await ScalarAsync(again, "select x from kept"));
    }

    [Fact]
    public async Task Two_processes_starting_at_once_share_one_cluster()
    {
        var starts = Enumerable.Range(0, 2).Select(_ => RunAppAsync("db", "start")).ToArray();
        var results = await Task.WhenAll(starts);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.Single(results.Select(r => r.Output.Trim()).Distinct());   // same folder, same port
        Assert.Contains("running", results[0].Output);
        Assert.Single(Directory.GetDirectories(new EmbeddedPostgres(root, new DatabaseOptions(),
            NullLogger.Instance).ClusterRoot, "data*"));
    }

    [Fact]
    public void Without_server_binaries_the_message_says_how_to_install_them()
    {
        var e = Assert.Throws<InvalidOperationException>(()
            => PostgresBinaries.Find("/nonexistent", searchPath: "", libRoot: "/nonexistent"));
        Assert.Contains("apt-get install postgresql", e.Message);
        Assert.Contains("ConnectionStrings__Reporting", e.Message);
    }

    async Task<(int ExitCode, string Output)> RunAppAsync(params string[] args)
    {
        var r = await AppProcess.RunAsync(null, args, new Dictionary<string,
            string> { ["Database__DataDirectory"] = root, ["ConnectionStrings__Reporting"] = "" });
        return (r.ExitCode, r.Out + r.Err);
    }

    static async Task<string?> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresCluster.RemoveScratchAsync(root);
}
