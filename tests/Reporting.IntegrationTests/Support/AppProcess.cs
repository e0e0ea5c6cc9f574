using System.Diagnostics;

namespace Reporting.IntegrationTests.Support;

/// <summary>
/// The app as a user runs it: `dotnet Reporting.dll VERB ...` in a separate process, from the repo root.
/// </summary>
public static class AppProcess
{
    public sealed record Result(int ExitCode, string Out, string Err);

    /// <param name="db">The database to use (ConnectionStrings__Reporting); null leaves the embedded default.</param>
    public static async Task<Result> RunAsync(TestDatabase? db, IEnumerable<string> args, IReadOnlyDictionary<string,
        string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepoRoot };
        psi.ArgumentList.Add(TestPaths.AppDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["REPORTING_ROOT"] = TestPaths.RepoRoot;
        if (db is not null) psi.Environment["ConnectionStrings__Reporting"] = db.ConnectionString;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(TestDatabase? db, params string[] args) => RunAsync(db, args, null);

    /// <summary>
    /// A `worker` process on the test database; the caller kills it. Output is drained so the pipes never block it.
    /// </summary>
    public static Process StartWorker(TestDatabase db, string jobs, IReadOnlyDictionary<string,
        string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepoRoot };
        psi.ArgumentList.Add(TestPaths.AppDll);
        psi.ArgumentList.Add("worker");
        psi.Environment["REPORTING_ROOT"] = TestPaths.RepoRoot;
        psi.Environment["ConnectionStrings__Reporting"] = db.ConnectionString;
        psi.Environment["Paths__Jobs"] = jobs;
        psi.Environment["Scheduling__WorkerCount"] = "2";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
