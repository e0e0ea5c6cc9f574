using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Database;

public sealed class ClusterLockdownTests : IAsyncLifetime
{
    const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    readonly string root = Path.Combine(TestPaths.RepoRoot, ".local", $"pg-lockdown-{Guid.NewGuid():N}");

    EmbeddedPostgres NewCluster() => new(root, new DatabaseOptions(), NullLogger.Instance);

    [Fact]
    public async Task A_connection_without_the_secret_is_refused_over_tcp_and_socket_and_one_with_it_works()
    {
        var pg = NewCluster();
        var cs = await pg.EnsureStartedAsync("reporting");

        Assert.Equal("reporting", await ScalarAsync(cs, "select current_database()"));
        var noSecret = new NpgsqlConnectionStringBuilder(cs) { Password = null };
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(noSecret.ConnectionString, "select 1"));
        var wrong = new NpgsqlConnectionStringBuilder(cs) { Password = "guessed" };
        var refused = await Assert.ThrowsAsync<PostgresException>(()
            => ScalarAsync(wrong.ConnectionString, "select 1"));
        Assert.Equal("28P01", refused.SqlState);
        var socket = new NpgsqlConnectionStringBuilder(cs) { Host = pg.ClusterRoot, Password = null };
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(socket.ConnectionString, "select 1"));
        Assert.False(ClusterHba.TrustsAnyone(Path.Combine(pg.ClusterRoot, "data")));
    }

    [Fact]
    public async Task The_secret_file_and_the_socket_folder_are_closed_to_other_users()
    {
        var pg = NewCluster();
        var cs = await pg.EnsureStartedAsync("reporting");
        var secret = new ClusterSecret(pg.ClusterRoot);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, new FileInfo(secret.FilePath).UnixFileMode);
        Assert.Equal(Environment.UserName, OwnerOf(secret.FilePath));
        Assert.Equal((UnixFileMode)0, new DirectoryInfo(pg.ClusterRoot).UnixFileMode & GroupOrOther);
        Assert.Equal(secret.ReadOrCreate(), new NpgsqlConnectionStringBuilder(cs).Password);
        Assert.Empty(Directory.GetFiles(pg.ClusterRoot, "initdb-password*"));
    }

    [Fact]
    public async Task A_running_cluster_that_trusted_every_local_user_is_locked_on_the_next_start()
    {
        var pg = NewCluster();
        var cs = await pg.EnsureStartedAsync("reporting");
        await ScalarAsync(cs, "create table kept (x int); insert into kept values (42); select 1");
        // What clusters created before the lockdown look like: trust rules and no secret file.
        var hba = Path.Combine(pg.ClusterRoot, "data", "pg_hba.conf");
        await File.WriteAllTextAsync(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        await ScalarAsync(cs, "select pg_reload_conf()");
        new ClusterSecret(pg.ClusterRoot).Delete();
        NpgsqlConnection.ClearAllPools();
        var noSecret = new NpgsqlConnectionStringBuilder(cs) { Password = null }.ConnectionString;
        await WaitUntilAsync(async () => await TryScalarAsync(noSecret) is not null);

        var locked = await NewCluster().EnsureStartedAsync("reporting");

        Assert.Equal("42", await ScalarAsync(locked, "select x from kept"));
        NpgsqlConnection.ClearAllPools();
        await WaitUntilAsync(async () => await TryScalarAsync(noSecret) is null);
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(cs).Password,
            new NpgsqlConnectionStringBuilder(locked).Password);
        Assert.False(ClusterHba.TrustsAnyone(Path.Combine(pg.ClusterRoot, "data")));
    }

    static string OwnerOf(string path)
    {
        var r = ProcessRunner.RunAsync("stat", ["-c", "%U", path]).GetAwaiter().GetResult();
        return r.Output.Trim();
    }

    static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50 && !await condition(); i++) await Task.Delay(100);
        Assert.True(await condition());
    }

    static async Task<string?> TryScalarAsync(string cs)
    {
        try { return await ScalarAsync(cs, "select 1"); }
        catch (NpgsqlException) { return null; }
    }

    static async Task<string?> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresCluster.RemoveScratchAsync(root);
}
