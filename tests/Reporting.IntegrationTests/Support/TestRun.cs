using System.Diagnostics;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("Reporting.IntegrationTests.Support.TestRunFramework", "Reporting.IntegrationTests")]

namespace Reporting.IntegrationTests.Support;

/// <summary>
/// The start and end of a test run of this assembly (xunit 2 has no assembly fixture). At the start, clusters and
/// databases a killed earlier run left behind are removed; at the end, every cluster the run started is stopped,
/// after failures too. A run killed outright (SIGKILL) is cleaned up by the next run's start, or by <c>db stop</c>.
/// </summary>
public static class TestRun
{
    static readonly string RunsDir = Path.Combine(TestPaths.RepoRoot, ".local", "test-runs");
    static readonly string Marker = Path.Combine(RunsDir, Environment.ProcessId.ToString());
    static int ended;

    /// <summary>
    /// Scratch clusters tests provision beside the shared one (each test removes its own when it ends).
    /// </summary>
    public static IEnumerable<string> ScratchClusterRoots() =>
        Directory.Exists(Path.Combine(TestPaths.RepoRoot, ".local"))
            ? Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, ".local"), "pg-*")
                .Where(d => !d.EndsWith("-secret", StringComparison.Ordinal))
            : [];

    /// <summary>
    /// Another test process of this clone still running (e.g. a second filtered run): then nothing is swept or
    /// stopped, it may be in use.
    /// </summary>
    static bool OtherRunAlive()
    {
        if (!Directory.Exists(RunsDir)) return false;
        foreach (var file in Directory.GetFiles(RunsDir))
        {
            if (file == Marker || !int.TryParse(Path.GetFileName(file), out var pid)) continue;
            if (IsAlive(pid, File.ReadAllText(file).Trim())) return true;
            File.Delete(file);
        }
        return false;
    }

    static bool IsAlive(int pid, string startedTicks)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.StartTime.ToUniversalTime().Ticks.ToString() == startedTicks;   // not a reused pid
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }

    public static async Task StartAsync()
    {
        Directory.CreateDirectory(RunsDir);
        var alone = !OtherRunAlive();
        using (var self = Process.GetCurrentProcess())
            await File.WriteAllTextAsync(Marker, self.StartTime.ToUniversalTime().Ticks.ToString());
        // Ctrl-C: the run is cancelled and EndAsync runs; should the process be torn down first, stop what we can.
        Console.CancelKeyPress += (_, _) => EndAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => EndAsync().GetAwaiter().GetResult();
        if (!alone) return;
        foreach (var stale in ScratchClusterRoots()) await PostgresCluster.RemoveScratchAsync(stale);
        PostgresCluster.SweepStaleDatabasesOnStart = true;
    }

    public static async Task EndAsync()
    {
        if (Interlocked.Exchange(ref ended, 1) == 1) return;
        try
        {
            if (OtherRunAlive()) return;
            foreach (var scratch in ScratchClusterRoots()) await PostgresCluster.RemoveScratchAsync(scratch);
            await PostgresCluster.StopAsync();
        }
        finally { File.Delete(Marker); }
    }
}

/// <summary>xunit's own framework, with <see cref="TestRun"/> around the assembly's tests.</summary>
public sealed class TestRunFramework(IMessageSink sink) : XunitTestFramework(sink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    sealed class Executor(AssemblyName name, ISourceInformationProvider info, IMessageSink sink)
        : XunitTestFrameworkExecutor(name, info, sink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases,
            IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink,
                executionOptions);
            await runner.RunAsync();
        }
    }

    sealed class Runner(ITestAssembly assembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics,
        IMessageSink execution, ITestFrameworkExecutionOptions options)
        : XunitTestAssemblyRunner(assembly, testCases, diagnostics, execution, options)
    {
        protected override async Task AfterTestAssemblyStartingAsync()
        {
            await base.AfterTestAssemblyStartingAsync();
            await TestRun.StartAsync();
        }

        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await TestRun.EndAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
