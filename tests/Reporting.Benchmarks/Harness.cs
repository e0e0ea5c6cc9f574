using System.Diagnostics;
using System.Globalization;

namespace Reporting.Benchmarks;

/// <summary>
/// A scenario measures one or more variants of the same work on the same data in one run; the first variant is
/// the baseline the others are compared with. Speed is reported as medians and ratios, never asserted.
/// </summary>
public abstract class Scenario
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    /// <summary>Large scenarios run only with --large.</summary>
    public virtual bool Large => false;
    public virtual int Repeats => 3;

    /// <summary>Prepare data (not measured). Return a description of the data's size.</summary>
    public abstract Task<string> SetUpAsync(BenchmarkContext context);

    /// <summary>The variants: name and the work to measure. The first is the baseline.</summary>
    public abstract IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context);

    public virtual Task TearDownAsync(BenchmarkContext context) => Task.CompletedTask;
}

public sealed class BenchmarkContext
{
    public required string WorkDir { get; init; }
    public required bool LargeRequested { get; init; }
}

public sealed record Measurement(string Scenario, string Data, string Variant, double MedianMs, double Ratio, long PeakRssMb, string? Note);

public static class Harness
{
    public static async Task<List<Measurement>> RunAsync(Scenario scenario, BenchmarkContext context)
    {
        var data = await scenario.SetUpAsync(context);
        var results = new List<Measurement>();
        double? baseline = null;
        try
        {
            foreach (var (variant, run) in scenario.Variants(context))
            {
                await run();                               // warm-up: JIT, caches, connection pools
                var times = new List<double>();
                string? note = null;
                for (var i = 0; i < scenario.Repeats; i++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var sw = Stopwatch.StartNew();
                    note = await run();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                var median = times[times.Count / 2];
                baseline ??= median;
                using var self = Process.GetCurrentProcess();
                results.Add(new Measurement(scenario.Name, data, variant, median, median / baseline.Value, self.PeakWorkingSet64 / (1024 * 1024), note));
            }
        }
        finally { await scenario.TearDownAsync(context); }
        return results;
    }

    public static string Table(IEnumerable<Measurement> ms)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "| scenario | data | variant | median | ratio to baseline | peak RSS (process) | note |",
            "| --- | --- | --- | ---: | ---: | ---: | --- |",
        };
        lines.AddRange(ms.Select(m => string.Create(c,
            $"| {m.Scenario} | {m.Data} | {m.Variant} | {m.MedianMs:0.0} ms | {m.Ratio:0.00}x | {m.PeakRssMb} MB | {m.Note} |")));
        return string.Join('\n', lines);
    }
}
