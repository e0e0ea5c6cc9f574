using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Reporting;

/// <summary>
/// Section "Paths": where the app reads its data and writes its output, relative to the content root.
/// </summary>
public sealed class PathsOptions
{
    public const string Section = "Paths";
    [Required]
    public string Output { get; set; } = ".local/out";   // git-ignored, beside the embedded cluster
    [Required]
    public string Reference { get; set; } = "data/reference";
    [Required]
    public string Samples { get; set; } = "data/samples";
    [Required]
    public string Jobs { get; set; } = "jobs";
    /// <summary>The log files (reporting-yyyyMMdd.log, full exception traces).</summary>
    [Required]
    public string Logs { get; set; } = ".local/logs";
    /// <summary>The demo region's own subscriptions; only the demo reads them (besides Jobs).</summary>
    [Required]
    public string DemoJobs { get; set; } = "data/demo/jobs";
}

/// <summary>Turns configured relative paths into absolute ones below the content root.</summary>
public sealed class AppPaths(IOptions<PathsOptions> options, string contentRoot)
{
    public string ContentRoot { get; } = contentRoot;
    public PathsOptions Options => options.Value;
    public string Output => Resolve(options.Value.Output);
    public string Reference => Resolve(options.Value.Reference);
    public string Samples => Resolve(options.Value.Samples);
    public string Jobs => Resolve(options.Value.Jobs);
    public string Logs => Resolve(options.Value.Logs);
    public string DemoJobs => Resolve(options.Value.DemoJobs);
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(ContentRoot, path));

    /// <summary>
    /// The repo root when the app runs from a clone (the folder holding Reporting.sln, searched upwards from the
    /// working directory), else the working directory. appsettings.json and data/ are found from there.
    /// </summary>
    public static string FindContentRoot()
    {
        var env = Environment.GetEnvironmentVariable("REPORTING_ROOT");
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Reporting.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
