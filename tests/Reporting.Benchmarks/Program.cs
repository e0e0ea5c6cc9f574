using System.Reflection;
using Reporting.Benchmarks;

// Usage: dotnet run -c Release --project tests/Reporting.Benchmarks -- [scenario ...] [--large] [--list]
var large = args.Contains("--large");
var wanted = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t.IsSubclassOf(typeof(Scenario)) && !t.IsAbstract)
    .Select(t => (Scenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Contains("--list"))
{
    foreach (var s in scenarios) Console.WriteLine($"{s.Name,-24} {(s.Large ? "[--large] " : "")}{s.Description}");
    return 0;
}

var context = new BenchmarkContext
{
    WorkDir = Directory.CreateTempSubdirectory("reporting-bench-").FullName,
    LargeRequested = large,
};
var all = new List<Measurement>();
foreach (var s in scenarios.Where(s => wanted.Count == 0 || wanted.Contains(s.Name)).Where(s => large || !s.Large || wanted.Contains(s.Name)))
{
    Console.Error.WriteLine($"running {s.Name}: {s.Description}");
    all.AddRange(await Harness.RunAsync(s, context));
}
Console.WriteLine($"Benchmarks {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
Console.WriteLine(Harness.Table(all));
Directory.Delete(context.WorkDir, recursive: true);
return 0;
