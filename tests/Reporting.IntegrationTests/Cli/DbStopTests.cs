using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Database;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Cli;

/// <summary>`db stop` stops every cluster of the clone, not only the app's, and names each.</summary>
public sealed class DbStopTests
{
    [Fact]
    public async Task Db_stop_stops_the_tests_cluster_too_and_names_it()
    {
        // A clone of its own (content root), so the run's shared cluster is not stopped under the other tests.
        var clone = Path.Combine(TestPaths.RepoRoot, ".local", $"pg-clone-{Guid.NewGuid():N}");
        var tests = new EmbeddedPostgres(Path.Combine(clone, ProjectClusters.TestClusterFolder), new DatabaseOptions(),
            NullLogger.Instance);
        try
        {
            await tests.EnsureStartedAsync("postgres");
            Assert.Contains(": running", await tests.StatusAsync());

            var r = await AppProcess.RunAsync(null, ["db", "stop"],
                new Dictionary<string, string> { ["REPORTING_ROOT"] = clone });

            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Equal($"stopped: {tests.ClusterRoot}", r.Out.Trim());
            Assert.Contains(": stopped", await tests.StatusAsync());

            var again = await AppProcess.RunAsync(null, ["db", "stop"],
                new Dictionary<string, string> { ["REPORTING_ROOT"] = clone });
            Assert.StartsWith("was not running", again.Out.Trim());
        }
        finally
        {
            await PostgresCluster.RemoveScratchAsync(tests.ClusterRoot);
            Directory.Delete(clone, recursive: true);
        }
    }
}
