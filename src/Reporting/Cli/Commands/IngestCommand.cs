using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reporting.Cli;
using Reporting.Uploads;
using Reporting.Ingestion;

namespace Reporting.Cli.Commands;

/// <summary>
/// <c>ingest FILE... [--provider CODE] [--report FEEDBACK.xlsx] [--format text|json]</c>: the same intake and
/// ingestion as the API and the job, run in this process. Exit 0 when every file is accepted, 2 otherwise.
/// </summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Return workbooks (xlsx).",
            Arity = ArgumentArity.OneOrMore };
        var provider = new Option<string?>("--provider")
        {
            Description = "Submit as this provider (the file must be its own), as an API upload would.",
        };
        var report = new Option<FileInfo?>("--report")
        {
            Description = "Write the feedback workbook here (several files: the file name is appended).",
        };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _
            => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var changes = new Option<bool>(
            "--changes") { Description = "List every fact that changed against the previous version." };
        var command = new Command("ingest", "Validate and ingest provider returns") { files, provider, report, format,
            changes };
        command.SetAction((p, ct) => Verbs.RunAsync(async (host, _) =>
        {
            var list = p.GetValue(files)!;
            var json = p.GetValue(format) == "json";
            var progress = list.Length > 1 && !Console.IsErrorRedirected;
            var store = host.Get<UploadStore>();
            var ingester = host.Get<ReturnIngester>();
            var results = new List<object>();
            var allAccepted = true;
            for (var i = 0; i < list.Length; i++)
            {
                var file = list[i];
                if (progress) Console.Error.Write($"\r[{i + 1}/{list.Length}] {file.Name,-50}");
                IntakeReceipt receipt;
                await using (var content = file.OpenRead())
                    receipt = await store.StoreAsync(content, file.Name, p.GetValue(provider), "cli", ct);
                var outcome = await ingester.IngestAsync(receipt.VersionId, ct);
                allAccepted &= outcome.Status is ReturnStates.Accepted or ReturnStates.Superseded;
                var (previous, diff) = outcome.Status == ReturnStates.Accepted
                    ? await host.Get<VersionDiff>().CompareAsync(outcome.VersionId, ct) : (null, []);

                string? reportPath = null;
                if (p.GetValue(report) is { } r)
                {
                    reportPath = list.Length == 1 ? r.FullName
                        : Path.Combine(r.DirectoryName!,
                            $"{Path.GetFileNameWithoutExtension(r.Name)}-"
                            + $"{Path.GetFileNameWithoutExtension(file.Name)}.xlsx");
                    var stored = await host.Get<FeedbackStore>().GetAsync(outcome.VersionId, ct);
                    if (stored is null)
                    {
                        var parsed = new ParsedReturn();
                        parsed.Messages.AddRange(outcome.Messages);
                        await using var original = file.OpenRead();
                        using var output = new MemoryStream();
                        FeedbackWorkbook.Write(original, file.Name, parsed, output,
                            host.Get<IOptions<UploadsOptions>>().Value);
                        stored = output.ToArray();
                    }
                    await File.WriteAllBytesAsync(reportPath, stored, ct);
                }

                if (json)
                {
                    results.Add(new
                    {
                        file = file.FullName, id = outcome.VersionId, status = outcome.Status,
                            provider = outcome.ProviderCode, period = outcome.Period,
                        version = outcome.Version, recognised = receipt.Recognised,
                            supersedes = outcome.SupersededVersionId,
                        errors = outcome.ErrorCount, warnings = outcome.WarningCount, report = reportPath,
                        messages = outcome.Messages.Select(m => new { severity = m.Severity.ToString()
                            .ToLowerInvariant(), m.Sheet, m.Cell, m.Value, m.Rule, m.Text }),
                        changes = previous is null ? null : diff,
                    });
                    continue;
                }
                if (progress) Console.Error.Write('\r' + new string(' ', 60) + '\r');
                Console.WriteLine(Verdict(file.Name, outcome, receipt.Recognised));
                foreach (var m in outcome.Messages) Console.WriteLine($"  {m}");
                if (previous is not null)
                {
                    Console.WriteLine(
                        $"  changes against the previous version (#{previous}): "
                            + $"{diff.Count(c => c.Change == "added")} added, " +
                                      $"{diff.Count(c => c.Change == "removed")} removed, "
                                          + $"{diff.Count(c => c.Change == "changed")} changed");
                    if (p.GetValue(changes))
                        foreach (var c in diff) Console.WriteLine(
                            $"    {c.Change,-8} {c.Fact,-6} {c.Key,-24} {c.Old ?? "-"} -> {c.New ?? "-"}");
                }
                if (reportPath is not null) Console.WriteLine($"  feedback workbook: {reportPath}");
            }
            if (progress && json) Console.Error.Write('\r' + new string(' ', 60) + '\r');
            if (json) Console.WriteLine(JsonSerializer.Serialize(results, ReturnIngester.Json));
            return allAccepted ? 0 : 2;
        }, ct));
        return command;
    }

    static string Verdict(string file, IngestOutcome o, bool recognised)
    {
        var what = o.Status switch
        {
            ReturnStates.Accepted => $"accepted: {o.ProviderCode} {o.Period}, version {o.Version}"
                + (o.SupersededVersionId is { } s ? $" (supersedes #{s})" : ""),
            ReturnStates.Superseded =>
                $"accepted earlier, since superseded: {o.ProviderCode} {o.Period}, version {o.Version}",
            _ => o.Status,
        };
        return $"{file}: {what} [#{o.VersionId}]{(recognised ? " (same bytes as before: not processed again)" : "")}, "
            + $"{o.ErrorCount} errors, {o.WarningCount} warnings";
    }
}
