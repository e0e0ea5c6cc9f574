using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Access;
using Reporting.Database;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Database;

/// <summary>
/// The embedded cluster as users run it keeps PostgreSQL's durability, even when it was left running with the
/// tests' unsafe settings: an upload answered 202 is committed and survives every server process being killed.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class DurabilityTests : IAsyncLifetime
{
    readonly string root = Path.Combine(TestPaths.RepoRoot, ".local", $"pg-durable-{Guid.NewGuid():N}");

    [Fact]
    public async Task An_upload_answered_202_survives_a_kill_of_the_database_and_the_cluster_runs_durable()
    {
        // A cluster left running without durability (as the tests run theirs, or as an earlier version ran it).
        var unsafeStart = await new EmbeddedPostgres(root, PostgresCluster.FastUnsafeOptions(), NullLogger.Instance)
            .EnsureStartedAsync("postgres");
        Assert.Equal("off", await ScalarAsync(unsafeStart, "show fsync"));

        // The app with its defaults finds that cluster running and starts it again, durable.
        var jobs = Directory.CreateTempSubdirectory("pg-durable-jobs-").FullName;
        var builder = ReportingHost.CreateWebBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Reporting"] = "",
            ["Database:DataDirectory"] = root,
            ["Paths:Jobs"] = jobs,
            ["Logging:LogLevel:Default"] = "None",
        });
        var app = builder.Build();
        app.MapReporting();
        await app.StartAsync();
        long versionId;
        EmbeddedPostgres pg;
        try
        {
            pg = app.Services.GetRequiredService<ReportingDatabase>().Embedded;
            var keys = app.Services.GetRequiredService<ProviderKeys>();
            await keys.EnsureAsync("KDZA", "KDZ Auenland");
            var key = await keys.IssueKeyAsync("KDZA");
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var sample = Path.Combine(TestPaths.RepoRoot, "data", "samples", "KDZA-2025.xlsx");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns")
            {
                Content = new MultipartFormDataContent
                {
                    { new ByteArrayContent(await File.ReadAllBytesAsync(sample)), "file", "KDZA-2025.xlsx" },
                },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            versionId = (await response.Content.ReadFromJsonAsync<Receipt>())!.Id;

            // At once, before anything else touches the database: every server process dies (SIGKILL).
            KillServer(pg.ClusterRoot);
        }
        finally
        {
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                try { await app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
            await app.DisposeAsync();
            Directory.Delete(jobs, recursive: true);
        }
        NpgsqlConnection.ClearAllPools();

        var cs = await new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance)
            .EnsureStartedAsync("reporting");
        Assert.Contains("automatic recovery in progress",
            await File.ReadAllTextAsync(Path.Combine(pg.ClusterRoot, "server.log")));
        Assert.Equal("received", await ScalarAsync(cs, $"""
            select rv.status from return_versions rv join uploads u on u.id = rv.upload_id
            where rv.id = {versionId} and u.provider_code = 'KDZA' and u.file_name = 'KDZA-2025.xlsx'
            """));
        Assert.Equal("on on on", string.Join(' ', await ScalarAsync(cs, "show fsync"),
            await ScalarAsync(cs, "show synchronous_commit"), await ScalarAsync(cs, "show full_page_writes")));
    }

    [Fact]
    public async Task The_tests_opt_in_to_speed_over_durability_is_the_only_way_to_turn_it_off()
    {
        var durable = await new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance)
            .EnsureStartedAsync("postgres");
        Assert.Equal("on", await ScalarAsync(durable, "show fsync"));
        // Settings written into the cluster's own files do not win over the app's command line.
        await ScalarAsync(durable, "alter system set synchronous_commit = off");
        Assert.True(await new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance).StopAsync());
        NpgsqlConnection.ClearAllPools();

        var again = await new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance)
            .EnsureStartedAsync("postgres");
        Assert.Equal("on", await ScalarAsync(again, "show synchronous_commit"));

        var fast = await new EmbeddedPostgres(root, PostgresCluster.FastUnsafeOptions(), NullLogger.Instance)
            .EnsureStartedAsync("postgres");
        Assert.Equal("off off off", string.Join(' ', await ScalarAsync(fast, "show fsync"),
            await ScalarAsync(fast, "show synchronous_commit"), await ScalarAsync(fast, "show full_page_writes")));

        var bad = new DatabaseOptions { ExtraServerSettings = { ["fsync"] = "on -c evil=1" } };
        await Assert.ThrowsAsync<InvalidOperationException>(() => new EmbeddedPostgres(root, bad,
            NullLogger.Instance).EnsureStartedAsync("postgres"));
    }

    sealed record Receipt(long Id);

    /// <summary>The postmaster and every process under it, killed together; returns when all are gone.</summary>
    static void KillServer(string clusterRoot)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(clusterRoot, "data", "postmaster.pid")).First());
        var tree = new List<int> { postmaster };
        for (var i = 0; i < tree.Count; i++) tree.AddRange(ChildrenOf(tree[i]));
        foreach (var pid in tree)
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }   // already gone
        }
        // Orphans are reaped by PID 1 a little later; a leftover zombie would look like a running postmaster.
        var deadline = Stopwatch.StartNew();
        while (tree.Any(pid => Directory.Exists($"/proc/{pid}")))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("server processes linger");
            Thread.Sleep(100);
        }
    }

    static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1]) == parent) yield return pid;
        }
    }

    static async Task<string?> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }
            .ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresCluster.RemoveScratchAsync(root);
}
