using Hangfire;
using Reporting.Database;
using Reporting.Delivery;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Reports;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.Demo;

/// <summary>
/// The main job. Runs the pipeline on whatever database is configured (the embedded default on a fresh clone),
/// through Hangfire as production does (upload -> ingest -> KPI snapshot -> new-data subscriptions -> mail, plus
/// the verdict mails), idempotently: running it again gives the same result and mails nobody twice.
/// </summary>
public sealed class DemoPipeline(
    ReportingDatabase database, ReferenceImporter reference, AppPaths paths, SampleReturns samples,
        IBackgroundJobClient jobs, JobStorage storage,
    DashboardRenderer renderer, SnapshotReader snapshots, JobFileLoader jobFiles, SubscriptionSender subscriptions,
    MailTransport transport, JobFileSync jobSync)
{
    /// <summary>Contact addresses of the demo providers (their verdict mails go there).</summary>
    public static readonly IReadOnlyDictionary<string, string> DemoProviderEmails = new Dictionary<string, string>
    {
        ["KDZA"] = "meldung@kdz-auenland.example",
        ["ITVB"] = "meldung@itv-brueckenfeld.example",
        ["WTIT"] = "meldung@wiesental-it.example",
    };

    static readonly TimeSpan ChainTimeout = TimeSpan.FromMinutes(5);

    public Task<int> RunAsync(string? outputDir, CancellationToken ct) => RunAsync(outputDir, null, ct);

    /// <param name="referenceDir">
    /// Null: the demo region with its sample returns and its own subscriptions (data/demo/jobs). A reference folder
    /// (../shared/reference): its providers, registered by the import, each with one generated return.
    /// </param>
    public async Task<int> RunAsync(string? outputDir, string? referenceDir, CancellationToken ct)
    {
        var output = outputDir ?? paths.Output;
        Directory.CreateDirectory(output);
        var started = DateTimeOffset.UtcNow;
        // Stops the demo at the first failed job (Verbs prints it) instead of waiting through Hangfire's retries.
        var watch = new JobWatch(storage);

        Step("Database", database.IsEmbedded
            ? await database.Embedded.StatusAsync(ct) : "configured server (ConnectionStrings:Reporting)");

        var referenceFolder = referenceDir ?? paths.Reference;
        var s = await reference.ImportAsync(referenceFolder, new DateOnly(2019, 12, 31), ct);
        Step("Reference data", $"{s.Municipalities} municipalities in {s.Districts} districts, " +
            $"{s.OzgServices} OZG services from {Relative(referenceFolder)}");

        IReadOnlyList<string[]> inputs;
        string inputsLabel;
        if (referenceDir is null)
        {
            // The demo region's subscriptions name its districts: synced now that the region is imported.
            jobFiles.Include(paths.DemoJobs);
            await jobSync.SyncAsync(ct);
            await DemoProvidersAsync(ct);
            inputs = SampleReturns.FilesByPeriod(paths.Samples);
            inputsLabel = Relative(paths.Samples);
        }
        else
        {
            // Beside the database, not under --out: a rerun with another --out submits the same bytes (no new version).
            var dir = paths.Resolve(Path.Combine(".local", ReferenceReturns.DatabaseName(referenceDir) + "-returns"));
            inputs = [[.. ReferenceReturns.Write(referenceDir, dir)]];
            inputsLabel = $"{Relative(dir)} ({s.Providers} providers registered from the service areas)";
        }
        var r = new SampleRun(0, 0, 0, 0, 0);
        foreach (var periodFiles in inputs)
        {
            var p = await samples.SubmitAndWaitAsync(periodFiles, ChainTimeout, ct, watch.ThrowIfFailed,
                demoProviders: referenceDir is null);
            r = new(r.Files + p.Files, r.Accepted + p.Accepted, r.Rejected + p.Rejected, r.Pending + p.Pending,
                r.Recognised + p.Recognised);
            // The period's snapshot exists before the next period compares with it.
            await watch.WaitIdleAsync(ChainTimeout, ct);
        }
        Step("Sample returns (submit, validate, ingest)",
            $"{r.Files} files from {inputsLabel}: {r.Accepted} accepted, {r.Rejected} rejected" +
            (r.Pending > 0 ? $", {r.Pending} still pending (see the job console)" : "")
                + (r.Recognised > 0 ? $" ({r.Recognised} known from an earlier run, not processed again)" : ""));

        // Accepted returns enqueued their period's snapshot themselves; enqueuing each period once more makes a re-run
        // (where the samples are recognised and not ingested again) take the same path: the snapshot is reused.
        foreach (var period in await PeriodsAsync(ct)) KpiSnapshotJob.Enqueue(jobs, period);
        var drained = await watch.WaitIdleAsync(ChainTimeout, ct);
        Step("KPI snapshots (Hangfire, queue kpis)", await SnapshotsAsync(ct));

        Step("Dashboards", await DashboardsAsync(Path.Combine(output, "dashboards"), ct));

        Step("Subscription mails", await SubscriptionsAsync(ct));
        drained &= await watch.WaitIdleAsync(ChainTimeout, ct);
        Step("Mail delivery", await DeliveriesAsync(started, ct)
            + (drained ? "" : "; some jobs still running or failed, see the job console (serve, /hangfire)"));

        Console.WriteLine();
        Console.WriteLine($"Results: {output}");
        Console.WriteLine($"  dashboards (workbooks, chart PNGs): {Path.Combine(output, "dashboards")}");
        Console.WriteLine(
            $"  mails (.eml, open with any mail program): "
                + $"{(transport.Name == "pickup" ? transport.PickupDirectory : "sent over SMTP (Smtp:Host)")}");
        return 0;
    }

    async Task DemoProvidersAsync(CancellationToken ct)
    {
        foreach (var (code, name) in SampleReturns.DemoProviders)
        {
            await using var cmd = database.DataSource.CreateCommand("""
                insert into providers (code, name, email) values ($1, $2, $3)
                on conflict (code) do update set email = coalesce(providers.email, excluded.email)
                """);
            cmd.Parameters.Add(new() { Value = code });
            cmd.Parameters.Add(new() { Value = name });
            cmd.Parameters.Add(new() { Value = DemoProviderEmails[code] });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    async Task<List<string>> PeriodsAsync(CancellationToken ct)
    {
        var periods = new List<string>();
        await using var cmd = database.DataSource.CreateCommand(
            "select distinct period from current_versions where period is not null order by period");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) periods.Add(r.GetString(0));
        return periods;
    }

    async Task<string> SnapshotsAsync(CancellationToken ct)
    {
        var done = new List<string>();
        foreach (var period in await PeriodsAsync(ct))
            if (await snapshots.LatestAsync(period, ct) is { } id
                && await snapshots.LoadAsync(id, KpiScope.Nrw, ct) is { } snap)
                done.Add(
                    $"{period}: snapshot {id} ({snap.ReturnsReceived} of {snap.ReturnsExpected} "
                        + $"returns{(snap.Provisional ? ", provisional" : "")})");
        return done.Count == 0 ? "no accepted returns yet" : string.Join("; ", done);
    }

    /// <summary>The latest period's dashboards: NRW and each demo district.</summary>
    async Task<string> DashboardsAsync(string dir, CancellationToken ct)
    {
        var period = (await PeriodsAsync(ct)).LastOrDefault();
        if (period is null || await snapshots.LatestAsync(period, ct) is not { } id) return "no KPI snapshot to render";
        var scopes = new List<KpiScope> { KpiScope.Nrw };
        scopes.AddRange((await renderer.DistrictsAsync(ct)).Select(d => KpiScope.District(d.Key)));
        // One dashboard per core at a time: 54 of them for NRW, as the render queue's workers would draw them.
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct,
        };
        await Parallel.ForEachAsync(scopes, parallel,
            async (scope, token) => (await renderer.RenderAsync(id, scope, ct: token)).WriteTo(dir));
        var workbooks = scopes.Count;
        return $"{period}, snapshot {id}: {workbooks} workbooks with charts (NRW and {workbooks - 1} districts) in "
            + $"{Relative(dir)}";
    }

    /// <summary>
    /// New-data subscriptions were sent by the chain; scheduled ones (a monthly report) are sent here once per
    /// snapshot, so the demo shows their mail without waiting for the 1st of the month.
    /// </summary>
    async Task<string> SubscriptionsAsync(CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var sub in (await jobFiles.LoadAsync(ct)).Where(j => j.Enabled && j.Kind == JobKinds.Subscription))
        {
            if (sub.Trigger == JobDefinition.Triggers.NewData) { lines.Add(
                $"{sub.Id} (new data, sent by the chain)"); continue; }
            var o = await subscriptions.SendOncePerSnapshotAsync(sub, "demo", DateOnly.FromDateTime(DateTime.Today),
                ct);
            lines.Add($"{sub.Id} ({(o.DeliveryIds.Count > 0 ? $"{o.DeliveryIds.Count} queued" : o.Note)})");
        }
        return lines.Count == 0 ? "no subscriptions in jobs/" : string.Join("; ", lines);
    }

    async Task<string> DeliveriesAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var cmd = database.DataSource.CreateCommand("""
            select kind, count(*)::int, count(*) filter (where created_at >= $1)::int, count(*) filter (where status =
              'sent')::int
            from deliveries group by kind order by kind
            """);
        cmd.Parameters.Add(new() { Value = since });
        var parts = new List<string>();
        int newThisRun = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            parts.Add($"{r.GetString(0)}: {r.GetInt32(1)} ({r.GetInt32(3)} sent)");
            newThisRun += r.GetInt32(2);
        }
        return parts.Count == 0 ? "no mails" : $"{string.Join(", ", parts)}; {newThisRun} new in this run";
    }

    static void Step(string name, string detail) => Console.WriteLine($"  {name,-42} {detail}");

    string Relative(string path) => Path.GetRelativePath(paths.ContentRoot, path);
}
