using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// Six concurrent ~95 MB uploads (a valid return plus 95 MB of incompressible media) against a real `serve`
/// process, clients honouring Retry-After, until every upload is decided and the job queues are empty. Peak RSS
/// is the serve process's VmHWM (issue 18: budget 400 MB); time from the first upload to the empty queue.
/// </summary>
public sealed class ConcurrentUploadsScenario : Scenario
{
    const int Uploads = 6, PadBytes = 95_000_000, Port = 5931;

    public override string Name => "uploads";
    public override string Description => "six concurrent ~95 MB uploads against `serve`: upload, ingest, verdict";
    public override int Repeats => 1;

    BenchDatabase? database;
    string key = "", otherKey = "";
    const string Other = "BENCHX";
    int run;

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        database = await BenchDatabase.CreateAsync("uploads", synthetic: false);
        key = await new ProviderKeys(database.Db).IssueKeyAsync(BenchReturns.Provider);
        // Another provider uploading BENCH's return is rejected: its verdict mail carries the feedback workbook.
        await new ProviderKeys(database.Db).EnsureAsync(Other, "Bench anderer Dienstleister");
        otherKey = await new ProviderKeys(database.Db).IssueKeyAsync(Other);
        await using (var cmd = database.Db.CreateCommand(
            $"update providers set email = 'bench-x@example.org' where code = '{Other}'"))
            await cmd.ExecuteNonQueryAsync();
        // With an address, every verdict is mailed with its feedback workbook, as for a real provider.
        await using (var cmd = database.Db.CreateCommand(
            $"update providers set email = 'bench@example.org' where code = '{BenchReturns.Provider}'"))
            await cmd.ExecuteNonQueryAsync();
        BenchReturns.Ensure(context, 2_000);
        return "6 x 95 MB (2,000-row return + 95 MB stored media)";
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context) =>
    [
        ("no concurrency limits (MaxConcurrentUploads=0, MaxConcurrentIngests=0)",
            () => RunAsync(context, ("Uploads__MaxConcurrentUploads", "0"), ("Uploads__MaxConcurrentIngests", "0"))),
        ("configured limits (appsettings.json)", () => RunAsync(context)),
        ("configured limits, each upload rejected (feedback workbook in the verdict mail)",
            () => RunAsync(context, otherKey)),
    ];

    Task<string?> RunAsync(BenchmarkContext context, params (string Key, string Value)[] settings) =>
        RunAsync(context, key, settings);

    async Task<string?> RunAsync(BenchmarkContext context, string apiKey, params (string Key, string Value)[] settings)
    {
        var files = Enumerable.Range(0, Uploads).Select(i => Padded(context, i)).ToList();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true,
            WorkingDirectory = AppPaths.FindContentRoot() };
        foreach (var a in new[] { typeof(UploadGate).Assembly.Location, "serve", "--urls", $"http://127.0.0.1:{Port}" })
            psi.ArgumentList.Add(a);
        psi.Environment["ConnectionStrings__Reporting"] = database!.ConnectionString;
        psi.Environment["Uploads__MaxUploadsPerHour"] = "0";
        psi.Environment["Uploads__MaxStoredBytesPerProvider"] = "0";
        psi.Environment["Smtp__Host"] = "";
        psi.Environment["Smtp__PickupDirectory"] = Path.Combine(context.WorkDir, "uploads-mail");
        foreach (var (k, v) in settings) psi.Environment[k] = v;
        using var serve = Process.Start(psi)!;
        _ = serve.StandardOutput.ReadToEndAsync();
        try
        {
            // The client waits for the server's 100 Continue or 503 before sending 95 MB; the default 350 ms is too
            // short on a loaded machine (the body starts, the 503 cuts it: a broken pipe).
            var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) };
            using var http = new HttpClient(handler)
            {
                BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromMinutes(10),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            // As curl does for large bodies: a 503 comes before the 95 MB are sent (else a broken pipe mid-body).
            http.DefaultRequestHeaders.ExpectContinue = true;
            for (var i = 0; (await Try(() => http.GetAsync("/health"))) is not { }; i++)
                if (i > 120) throw new TimeoutException("serve did not start"); else await Task.Delay(500);
            await File.WriteAllTextAsync($"/proc/{serve.Id}/clear_refs", "5");
            var sw = Stopwatch.StartNew();
            var answers = await Task.WhenAll(files.Select(f => UploadAsync(http, f)));
            var ids = answers.Select(a => a.Id).ToList();
            while (await PendingAsync(http, ids) > 0) await Task.Delay(500);
            while (await BusyJobsAsync() > 0) await Task.Delay(500);
            Harness.ExternalMs = sw.Elapsed.TotalMilliseconds;
            Harness.ExternalPeakKb = PeakKb(serve.Id);
            return $"{answers.Sum(a => a.Refused)} answers 503/429 before all {Uploads} were taken; "
                + $"{await RejectedAsync(ids)} of {Uploads} rejected";
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    static async Task<T?> Try<T>(Func<Task<T>> f) where T : class
    {
        try { return await f(); }
        catch (HttpRequestException) { return null; }
    }

    static async Task<(long Id, int Refused)> UploadAsync(HttpClient http, string file)
    {
        for (var refused = 0; ; refused++)
        {
            await using var stream = File.OpenRead(file);
            using var form = new MultipartFormDataContent
            {
                { new StreamContent(stream), "file", Path.GetFileName(file) },
            };
            HttpResponseMessage response;
            try { response = await http.PostAsync("/api/returns", form); }
            catch (HttpRequestException e) when (e.InnerException is IOException)
            {
                // Refused mid-body all the same (the server answered 503 and closed): wait and send again.
                await Task.Delay(TimeSpan.FromSeconds(5));
                continue;
            }
            using var _ = response;
            // 503: every slot taken; 429: this provider holds its share of them (all but one). Both say when.
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(30));
                continue;
            }
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (body.RootElement.GetProperty("id").GetInt64(), refused);
        }
    }

    static async Task<int> PendingAsync(HttpClient http, List<long> ids)
    {
        var pending = 0;
        foreach (var id in ids)
        {
            using var body = JsonDocument.Parse(await http.GetStringAsync($"/api/returns/{id}"));
            if (body.RootElement.GetProperty("status").GetString() == "received") pending++;
        }
        return pending;
    }

    async Task<long> RejectedAsync(List<long> ids)
    {
        await using var cmd = database!.Db.CreateCommand(
            "select count(*) from return_versions where status = 'rejected' and id = any($1)");
        cmd.Parameters.Add(new() { Value = ids.ToArray() });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Enqueued, processing or scheduled jobs: verdict mails (with feedback) follow the ingest.</summary>
    async Task<long> BusyJobsAsync()
    {
        await using var cmd = database!.Db.CreateCommand(
            "select count(*) from hangfire.job where statename in ('Enqueued', 'Processing', 'Scheduled')");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The return with 95 MB of new random bytes as a stored media entry: new bytes every run.</summary>
    string Padded(BenchmarkContext context, int i)
    {
        var path = Path.Combine(context.WorkDir, $"uploads-{i}.xlsx");
        File.Copy(BenchReturns.Ensure(context, 2_000), path, overwrite: true);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using var entry = zip.CreateEntry(string.Create(CultureInfo.InvariantCulture, $"xl/media/image{run++}.bin"),
            CompressionLevel.NoCompression).Open();
        var chunk = new byte[1024 * 1024];
        for (var written = 0; written < PadBytes; written += chunk.Length)
        {
            RandomNumberGenerator.Fill(chunk);
            entry.Write(chunk, 0, Math.Min(chunk.Length, PadBytes - written));
        }
        return path;
    }

    static long PeakKb(int pid) => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:",
        StringComparison.Ordinal))[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (database is not null) await database.DisposeAsync();
    }
}
