using System.Reflection;
using Reporting;
using Reporting.Benchmarks;

// Usage: dotnet run -c Release --project tests/Reporting.Benchmarks -- [scenario ...] [--large] [--list]
// Each scenario's variants run in child processes (`--child SCENARIO VARIANT|all WORKDIR`), so peak RSS is the
// variant's own.
var large = args.Contains("--large");
var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t.IsSubclassOf(typeof(Scenario)) && !t.IsAbstract)
    .Select(t => (Scenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length >= 4 && args[0] == "--child")
{
    var scenario = scenarios.Single(s => s.Name == args[1]);
    return await Harness.RunInChildAsync(scenario, args[2],
        new BenchmarkContext { WorkDir = args[3], LargeRequested = large });
}

if (args.Contains("--list"))
{
    foreach (var s in scenarios) Console.WriteLine($"{s.Name,-24} {(s.Large ? "[--large] " : "")}{s.Description}");
    return 0;
}

var wanted = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
var unknown = wanted.Where(w
    => scenarios.All(s => !string.Equals(s.Name, w, StringComparison.OrdinalIgnoreCase))).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario(s): {string.Join(", ", unknown)}; --list shows them");
    return 2;
}
// Inputs are generated once into a work dir under .local (git-ignored) and kept for the next run.
var context = new BenchmarkContext
{
    WorkDir = Directory.CreateDirectory(Path.Combine(AppPaths.FindContentRoot(), ".local", "bench")).FullName,
    LargeRequested = large,
};
var started = DateTime.UtcNow;
var all = new List<Measurement>();
foreach (var s in scenarios.Where(s => wanted.Count == 0 || wanted.Contains(s.Name)).Where(s => large || !s.Large
    || wanted.Contains(s.Name)))
{
    Console.Error.WriteLine($"running {s.Name}: {s.Description}");
    try { all.AddRange(await Harness.RunAsync(s, context)); }
    catch (Reporting.Benchmarks.Ingestion.SkipScenario e) { Console.Error.WriteLine($"skipped {s.Name}: {e.Message}"); }
}
var gib = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
Console.WriteLine(
    $"Benchmarks started {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {gib:0} GiB, "
        + $"{Environment.OSVersion}, .NET {Environment.Version}, load average {LoadAverage()}");
Console.WriteLine();
Console.WriteLine(Harness.Table(all));
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg")
    ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
