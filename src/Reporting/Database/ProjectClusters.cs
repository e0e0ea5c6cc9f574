using Microsoft.Extensions.Logging;

namespace Reporting.Database;

/// <summary>
/// Every embedded cluster this clone may have started: the app's own (Database:DataDirectory), the tests' shared
/// one (.local/postgres-tests) and any other cluster folder under .local (scratch clusters of tests, an earlier
/// data directory). <c>db stop</c> stops them all, so that nothing keeps running after work in a clone.
/// </summary>
public static class ProjectClusters
{
    public const string TestClusterFolder = ".local/postgres-tests";

    public static IReadOnlyList<EmbeddedPostgres> Find(AppPaths paths, DatabaseOptions options, ILogger logger)
    {
        var wanted = new List<string> { paths.Resolve(options.DataDirectory), paths.Resolve(TestClusterFolder) };
        var local = paths.Resolve(".local");
        if (Directory.Exists(local)) wanted.AddRange(Directory.GetDirectories(local));
        return wanted.Distinct()
            .Select(w => new EmbeddedPostgres(w, options, logger))
            .Where(pg => File.Exists(Path.Combine(pg.ClusterRoot, "data", "PG_VERSION")))
            .DistinctBy(pg => pg.ClusterRoot)
            .ToList();
    }

    /// <returns>The folders of the clusters that were running and are stopped now.</returns>
    public static async Task<IReadOnlyList<string>> StopAllAsync(AppPaths paths, DatabaseOptions options,
        ILogger logger, CancellationToken ct)
    {
        var stopped = new List<string>();
        foreach (var pg in Find(paths, options, logger))
            if (await pg.StopAsync(ct)) stopped.Add(pg.ClusterRoot);
        return stopped;
    }
}
