using System.Diagnostics;

namespace Reporting.Database;

/// <summary>Runs a command to completion, optionally as another OS user (runuser), and captures its output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? asUser = null,
        CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        if (asUser is null)
        {
            psi.FileName = file;
        }
        else
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(asUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(file);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }
}
