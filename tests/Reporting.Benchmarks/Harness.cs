using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Reporting.Benchmarks;

/// <summary>
/// A scenario measures one or more variants of the same work on the same data in one run; the first variant is
/// the baseline the others are compared with. Speed is reported as medians and ratios, never asserted.
/// </summary>
public abstract class Scenario
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    /// <summary>Large scenarios run only with --large (or when named).</summary>
    public virtual bool Large => false;
    public virtual int Repeats => 3;
    /// <summary>
    /// Each variant in its own child process, so its peak RSS is its own (readers, ingestion). Otherwise the whole
    /// scenario runs in one child (expensive set-up done once) and peaks are per variant after a reset.
    /// </summary>
    public virtual bool ProcessPerVariant => false;

    /// <summary>
    /// Generate input files into the work dir, in the parent process (not measured, memory not counted). Return the
    /// data's description.
    /// </summary>
    public virtual Task<string?> PrepareAsync(BenchmarkContext context) => Task.FromResult<string?>(null);

    /// <summary>
    /// Set up in the measuring child (not measured; peaks are reset after it). Return a description of the data's size.
    /// </summary>
    public abstract Task<string> SetUpAsync(BenchmarkContext context);

    /// <summary>
    /// The variants: name and the work to measure. The first is the baseline. Must be listable before set-up.
    /// </summary>
    public abstract IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context);

    public virtual Task TearDownAsync(BenchmarkContext context) => Task.CompletedTask;
}

public sealed class BenchmarkContext
{
    public required string WorkDir { get; init; }
    public required bool LargeRequested { get; init; }
}

/// <summary>One variant's figures. PeakRssMb: VmHWM of the measuring process during the variant's runs.</summary>
public sealed record Measurement(string Scenario, string Data, string Variant, double MedianMs, double Ratio,
    long PeakRssMb, double AllocatedMb, int Runs, string? Note);

/// <summary>What a child process reports for one variant (one JSON line on stdout, prefixed).</summary>
public sealed record ChildResult(string Data, string Variant, double[] TimesMs, long PeakKb, double AllocatedMb,
    string? Note);

public static class Harness
{
    const string ResultPrefix = "BENCH-RESULT ";

    /// <summary>
    /// Set by a variant whose work runs in another program (Node.js): its own timing and peak RSS replace the
    /// harness's stopwatch and this process's peak, so start-up of that program is not counted.
    /// </summary>
    public static double? ExternalMs { get; set; }
    public static long? ExternalPeakKb { get; set; }

    /// <summary>
    /// Parent side: prepare inputs, run the scenario's variants in child processes, collect their figures.
    /// </summary>
    public static async Task<List<Measurement>> RunAsync(Scenario scenario, BenchmarkContext context)
    {
        var prepared = await scenario.PrepareAsync(context);
        var selections = scenario.ProcessPerVariant
            ? scenario.Variants(context).Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToList()
            : ["all"];
        var results = new List<ChildResult>();
        foreach (var selection in selections)
            results.AddRange(await RunChildAsync(scenario.Name, selection, context));

        var measurements = new List<Measurement>();
        double? baseline = null;
        foreach (var r in results)
        {
            var sorted = r.TimesMs.Order().ToArray();
            var median = sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1
                ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
            baseline ??= median;
            measurements.Add(new Measurement(scenario.Name, prepared ?? r.Data, r.Variant, median,
                median / baseline.Value, r.PeakKb / 1024, r.AllocatedMb, r.TimesMs.Length, r.Note));
        }
        return measurements;
    }

    static async Task<List<ChildResult>> RunChildAsync(string scenario, string selection, BenchmarkContext context)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        // Under `dotnet run` the process is the app host; under `dotnet X.dll` it is dotnet itself.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Harness).Assembly.Location);
        foreach (var a in new[] { "--child", scenario, selection, context.WorkDir }) psi.ArgumentList.Add(a);
        if (context.LargeRequested) psi.ArgumentList.Add("--large");
        using var child = Process.Start(psi)!;
        var results = new List<ChildResult>();
        while (await child.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal)) results.Add(
                JsonSerializer.Deserialize<ChildResult>(line[ResultPrefix.Length..])!);
            else Console.Error.WriteLine(line);
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) Console.Error.WriteLine($"child {scenario} {selection} exited with {child.ExitCode}");
        return results;
    }

    /// <summary>Child side: set up, then per variant warm up, reset the peak, time the repeats, report.</summary>
    public static async Task<int> RunInChildAsync(Scenario scenario, string selection, BenchmarkContext context)
    {
        var data = await scenario.SetUpAsync(context);
        try
        {
            var variants = scenario.Variants(context).ToList();
            var chosen = selection == "all" ? variants : [variants[int.Parse(selection, CultureInfo.InvariantCulture)]];
            foreach (var (variant, run) in chosen)
            {
                Console.Error.WriteLine($"  {scenario.Name}: {variant}");
                Settle();
                ResetPeak();
                await run();                               // warm-up: JIT, caches, connection pools (its peak counts)
                var times = new List<double>();
                string? note = null;
                long? externalPeak = null;
                long allocated = 0;
                for (var i = 0; i < scenario.Repeats; i++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    ExternalMs = null;
                    ExternalPeakKb = null;
                    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    var sw = Stopwatch.StartNew();
                    note = await run();
                    times.Add(ExternalMs ?? sw.Elapsed.TotalMilliseconds);
                    allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                    if (ExternalPeakKb is { } p) externalPeak = Math.Max(externalPeak ?? 0, p);
                }
                var result = new ChildResult(data, variant, [.. times], externalPeak ?? PeakKb(),
                    allocated / (1024.0 * 1024) / scenario.Repeats, note);
                Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
            }
        }
        finally { await scenario.TearDownAsync(context); }
        return 0;
    }

    /// <summary>
    /// Give back what set-up or the previous variant left, so the next peak starts from the live data.
    /// </summary>
    static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM to the current RSS (since 4.0).</summary>
    static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Console.Error.WriteLine(
            "  (cannot reset the peak RSS: " + e.Message + ")"); }
    }

    static long PeakKb()
    {
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64 / 1024;
    }

    public static string Table(IEnumerable<Measurement> ms)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "| scenario | data | variant | median | ratio | peak RSS | allocated/run | runs | note |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        };
        lines.AddRange(ms.Select(m => string.Create(c,
            $"| {m.Scenario} | {m.Data} | {m.Variant} | {Time(m.MedianMs)} | {m.Ratio:0.00}x | {m.PeakRssMb:N0} MB | "
                + $"{m.AllocatedMb:N0} MB | {m.Runs} | {m.Note} |")));
        return string.Join('\n', lines);
    }

    static string Time(double ms) => ms >= 10_000 ? string.Create(CultureInfo.InvariantCulture,
        $"{ms / 1000:0.0} s") : string.Create(CultureInfo.InvariantCulture, $"{ms:N0} ms");
}
