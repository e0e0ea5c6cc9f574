using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;
using Npgsql;
using Reporting.Delivery;
using Reporting.Ingestion;
using Reporting.Kpis;
using Reporting.Reference;

namespace Reporting.Scheduling;

/// <summary>A jobs/ file that cannot be used; the message names the file and what is wrong.</summary>
public sealed class JobFileException(string message) : InvalidOperationException(message);

/// <summary>A job file that is not used, and why (file name, or several names for a duplicate id).</summary>
public sealed record JobFileProblem(string File, string Reason)
{
    public override string ToString() => $"{File}: {Reason}";
}

/// <summary>The usable jobs and the files that were left out.</summary>
public sealed record JobFileScan(IReadOnlyList<JobDefinition> Jobs, IReadOnlyList<JobFileProblem> Problems);

/// <summary>
/// Reads and validates jobs/*.json: unknown kind, bad cron, bad time zone, unknown scope, scope keys missing in the
/// database (once reference data is imported), bad addresses, recipients' names with control characters
/// (<see cref="NameText"/>), duplicate ids. A file with a problem is left out
/// (its job does not run) and reported; every other file is used, so one bad file never stops a host.
/// The demo adds its own folder (data/demo/jobs) with <see cref="Include"/>.
/// </summary>
public sealed partial class JobFileLoader(AppPaths paths, NpgsqlDataSource db)
{
    static readonly JsonSerializerOptions Json = new(
        JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    readonly List<string> extra = [];

    public string Directory => paths.Jobs;

    public IReadOnlyList<string> Directories
    {
        get { lock (extra) return [paths.Jobs, .. extra]; }
    }

    /// <summary>Reads the files of <paramref name="dir"/> too, from now on in this process.</summary>
    public void Include(string dir)
    {
        lock (extra)
            if (!extra.Contains(dir) && dir != paths.Jobs) extra.Add(dir);
    }

    /// <summary>The usable jobs; files with problems are left out (see <see cref="ScanAsync"/>).</summary>
    public async Task<IReadOnlyList<JobDefinition>> LoadAsync(CancellationToken ct = default) =>
        (await ScanAsync(ct)).Jobs;

    public async Task<JobFileScan> ScanAsync(CancellationToken ct = default)
    {
        var (jobs, problems) = ReadProblems(Directories);
        var keyProblems = await CheckKeysAsync(jobs, ct);
        problems.AddRange(keyProblems);
        var bad = keyProblems.Select(p => p.File).ToHashSet();
        return new JobFileScan(jobs.Where(j => !bad.Contains(j.File)).ToList(), problems);
    }

    public async Task<JobDefinition> GetAsync(string id, CancellationToken ct = default)
    {
        var scan = await ScanAsync(ct);
        return scan.Jobs.FirstOrDefault(j => j.Id == id) ?? throw new JobFileException(
            $"no usable file in {string.Join(", ", Directories)} has the id '{id}'" +
            (scan.Problems.Count > 0 ? $" (left out: {string.Join("; ", scan.Problems)})" : ""));
    }

    /// <summary>Parses and checks the files without the database (cron, zone, kind, scope syntax, addresses).</summary>
    public static (List<JobDefinition> Jobs, List<string> Problems) ReadFiles(string dir)
    {
        var (jobs, problems) = ReadProblems([dir]);
        return (jobs, problems.Select(p => p.ToString()).ToList());
    }

    static (List<JobDefinition> Jobs, List<JobFileProblem> Problems) ReadProblems(IEnumerable<string> dirs)
    {
        var jobs = new List<JobDefinition>();
        var problems = new List<JobFileProblem>();
        foreach (var dir in dirs.Where(System.IO.Directory.Exists))
            foreach (var file in System.IO.Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                JobDefinition? job;
                try { job = JsonSerializer.Deserialize<JobDefinition>(File.ReadAllText(file), Json); }
                catch (JsonException e) { problems.Add(new(name, $"not valid JSON ({e.Message})")); continue; }
                if (job is null) { problems.Add(new(name, "empty")); continue; }
                job = job with { File = name };
                var found = Check(job).Select(p => new JobFileProblem(name, p)).ToList();
                if (found.Count == 0) jobs.Add(job);
                problems.AddRange(found);
            }
        foreach (var dup in jobs.GroupBy(j => j.Id).Where(g => g.Count() > 1).ToList())
        {
            problems.Add(new(string.Join(", ", dup.Select(j => j.File)), $"the id '{dup.Key}' is used more than once"));
            jobs.RemoveAll(j => j.Id == dup.Key);
        }
        return (jobs, problems);
    }

    public static IEnumerable<string> Check(JobDefinition j)
    {
        if (!IdPattern().IsMatch(j.Id)) yield return $"id '{j.Id}' must be 1-60 characters a-z, 0-9 and '-'";
        if (!JobKinds.All.Contains(
            j.Kind)) yield return $"unknown job kind '{j.Kind}' (known: {string.Join(", ", JobKinds.All)})";
        if (TryTimeZone(j.TimeZone) is null) yield return $"unknown time zone '{j.TimeZone}' (e.g. Europe/Berlin)";
        var needsCron = j.Kind != JobKinds.Subscription || j.Trigger == JobDefinition.Triggers.Schedule;
        if (needsCron || j.Cron.Length > 0)
        {
            string? cronError = null;
            try { CronExpression.Parse(j.Cron); }
            catch (CronFormatException e) { cronError = e.Message; }
            catch (ArgumentNullException) { cronError = "missing"; }
            if (cronError is not null) yield return $"bad cron '{j.Cron}': {cronError}";
        }
        if (j.Kind != JobKinds.Subscription) yield break;

        if (!JobDefinition.Reports.Contains(
            j.Report)) yield return $"unknown report '{j.Report}' (known: {string.Join(", ", JobDefinition.Reports)})";
        if (!KpiScope.TryParse(j.Scope, out _, out var scopeError)
            || j.Scope.Trim().Length == 0) yield return scopeError.Length > 0
                ? scopeError : "no scope (nrw | region=051 | district=05162 | provider=CODE)";
        if (j.Trigger is not (
            JobDefinition.Triggers.Schedule or JobDefinition.Triggers.NewData)) yield return $"unknown trigger "
                + $"'{j.Trigger}' (schedule | new-data)";
        if (!JobDefinition.Formats.Contains(
            j.Format)) yield return $"unknown format '{j.Format}' (known: {string.Join(", ", JobDefinition.Formats)})";
        if (!PeriodRules.IsValid(
            j.Period)) yield return $"unknown period rule '{j.Period}' (last-closed | current | a period such as 2025 "
                + $"or 2025-Q1)";
        if (j.MinCompleteness is < 0 or > 1)
            yield return $"minCompleteness {j.MinCompleteness} must be between 0 and 1";
        if (j.Recipients.Count == 0) yield return "no recipients";
        foreach (var r in j.Recipients)
        {
            // Names are refused, not cleaned: a mail header or a page must never carry a line break from a file.
            if (NameText.Problem(r.Name) is { } name)
                yield return $"the name of recipient '{MailComposer.Clean(r.Name)}' {name}";
            if (NameText.Problem(r.Salutation) is { } salutation)
                yield return $"the salutation of recipient '{MailComposer.Clean(r.Name)}' {salutation}";
            if (!MailComposer.IsValidAddress(r.Address) || !NameText.IsPlain(r.Address))
                yield return $"bad address '{MailComposer.Clean(r.Address)}' for recipient "
                    + $"'{MailComposer.Clean(r.Name)}'" + (NameText.Problem(r.Address) is { } why ? $": it {why}" : "");
        }
    }

    /// <summary>
    /// Scope keys must exist, checked once the tables are filled (a fresh database has no reference data yet).
    /// </summary>
    async Task<List<JobFileProblem>> CheckKeysAsync(IReadOnlyList<JobDefinition> jobs, CancellationToken ct)
    {
        var problems = new List<JobFileProblem>();
        var scoped = jobs.Where(j => j.Kind == JobKinds.Subscription
            && j.ParsedScope.Kind != KpiScopeKind.Nrw).ToList();
        if (scoped.Count == 0) return problems;
        foreach (var j in scoped)
        {
            var s = j.ParsedScope;
            var (table, column, label) = s.Kind switch
            {
                KpiScopeKind.Region => ("regions", "key", "region"),
                KpiScopeKind.District => ("districts", "key", "district"),
                _ => ("providers", "code", "provider"),
            };
            await using var cmd = db.CreateCommand(
                $"select exists (select 1 from {table}), exists (select 1 from {table} where {column} = $1)");
            cmd.Parameters.Add(new() { Value = s.Key });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            if (r.GetBoolean(0) && !r.GetBoolean(1))
                problems.Add(new(j.File, $"unknown {label} key '{s.Key}' (not in table {table})"));
        }
        return problems;
    }

    public static TimeZoneInfo? TryTimeZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (
            e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException) { return null; }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$")]
    private static partial Regex IdPattern();
}

/// <summary>Which period a subscription reports on.</summary>
public static partial class PeriodRules
{
    public const string LastClosed = "last-closed";
    public const string Current = "current";

    public static bool IsValid(string rule) => rule is LastClosed or Current || Periods.IsValid(rule);

    /// <summary>The period key for a rule, or null when no period fits (e.g. nothing closed yet).</summary>
    public static async Task<string?> ResolveAsync(NpgsqlDataSource db, string rule, DateOnly today,
        CancellationToken ct)
    {
        await using var cmd = rule switch
        {
            LastClosed => db.CreateCommand(
                "select period from periods where closed order by ends_on desc, length(period) desc limit 1"),
            // The period that contains today (the shortest, e.g. the quarter before the year), else the latest one that
            // has started.
            Current
                => db.CreateCommand(
                    "select period from periods where starts_on <= $1 order by (ends_on >= $1) desc, starts_on desc, "
                        + "(ends_on - starts_on) limit 1"),
            _ => db.CreateCommand("select period from periods where period = $1"),
        };
        cmd.Parameters.Add(rule is LastClosed or Current
            ? new NpgsqlParameter { Value = today } : new NpgsqlParameter { Value = rule });
        if (rule == LastClosed) cmd.Parameters.Clear();
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

}
