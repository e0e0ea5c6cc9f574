using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using netDumbster.smtp;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.IntegrationTests.Security;

/// <summary>
/// The real web host on Kestrel: what it logs, where uploaded bytes end up, how big a request may be.
/// </summary>
public sealed class SecretsAndUploadStorageTests
{
    const string SmtpPassword = "Smtp-Geheimnis-4711!";
    const string AdminPassword = "Admin-Geheimnis-0815!";

    [Fact]
    public async Task A_full_upload_logs_no_API_key_SMTP_or_admin_password_and_never_serves_or_saves_its_bytes_to_disk()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
        var jobs = Directory.CreateTempSubdirectory("secrets-jobs-").FullName;
        var logs = new CapturingLoggerProvider();

        var builder = ReportingHost.CreateWebBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Reporting"] = db.ConnectionString,
            ["Paths:Jobs"] = jobs,
            ["Admin:UserName"] = "admin",
            ["Admin:Password"] = AdminPassword,
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:UserName"] = "reporting",
            ["Smtp:Password"] = SmtpPassword,
            ["Scheduling:SchedulePollingSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Trace",
        });
        builder.Logging.AddProvider(logs);
        builder.AddJobServer();
        var app = builder.Build();
        app.MapReporting();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient(
                new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()) };
            var keys = app.Services.GetRequiredService<ProviderKeys>();
            await keys.EnsureAsync("KDZA", "KDZ Auenland");
            var key = await keys.IssueKeyAsync("KDZA");
            var reference = DemoReturnReference.Load(TestPaths.DemoReference);
            var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == "KDZA"), "2025",
                42);
            var path = Path.Combine(jobs, "KDZA-2025.xlsx");
            DemoReturnWriter.WriteThroughTemplate(g, reference.Catalog, path);
            var bytes = await File.ReadAllBytesAsync(path);
            File.Delete(path);

            // A wrong key, then the right one with an upload, then the status and the feedback.
            using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/returns/1"))
            {
                wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key[..^2] + "xx");
                var refused = await http.SendAsync(wrong);
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized,
                    $"{(int)refused.StatusCode} {refused.Headers.Location}");
            }
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var response = await http.PostAsync("/api/returns",
                new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "KDZA-2025.xlsx" } });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Eventually.WaitForAsync(() => db.ScalarAsync<string>("select status from return_versions"), s
                => s != "received", "the upload to be ingested", 90);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/returns/1/feedback")).StatusCode);

            // Served nowhere: not under its name, nor under paths a static file middleware would use.
            http.DefaultRequestHeaders.Authorization = null;
            foreach (var url in new[] { "/KDZA-2025.xlsx", "/uploads/KDZA-2025.xlsx", "/out/KDZA-2025.xlsx",
                "/wwwroot/KDZA-2025.xlsx", "/jobs/KDZA-2025.xlsx" })
                Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(url)).StatusCode);

            // Written nowhere the web server could serve from: the content root's wwwroot and out/ hold no copy.
            var env = app.Services.GetRequiredService<IWebHostEnvironment>();
            foreach (var folder in new[] { env.WebRootPath, Path.Combine(env.ContentRootPath, "wwwroot"),
                Path.Combine(env.ContentRootPath, "out"), Path.Combine(TestPaths.RepoRoot, "out"),
                    Path.Combine(TestPaths.RepoRoot, ".local", "out") }
                         .Where(f => !string.IsNullOrEmpty(f) && Directory.Exists(f)))
                foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f
                    => new FileInfo(f).Length == bytes.Length))
                    Assert.False(IsSame(bytes, await File.ReadAllBytesAsync(file)), $"upload bytes found at {file}");

            var text = string.Join("\n", logs.Lines);
            Assert.True(logs.Lines.Count > 20, "the host logged at trace level");
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(key[..12], text, StringComparison.Ordinal);
            Assert.DoesNotContain(SmtpPassword, text, StringComparison.Ordinal);
            Assert.DoesNotContain(AdminPassword, text, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(jobs, recursive: true);
        }
    }

    [Fact]
    public async Task Kestrel_refuses_an_oversized_form_and_keeps_serving()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var big = new ByteArrayContent(new byte[40 * 1024 * 1024]);
        big.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        HttpStatusCode status;
        try { status = (await http.PostAsync("/admin/anmelden", big)).StatusCode; }
        catch (HttpRequestException)
        {
            status = HttpStatusCode.RequestEntityTooLarge;   // the server may close the connection mid-body
        }
        Assert.True(status is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"got {(int)status}");

        using var again = web.Client();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/health")).StatusCode);
    }

    static bool IsSame(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Queue { get; } = new();
        public IReadOnlyCollection<string> Lines => Queue;
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner.Queue.Enqueue($"{category} scope: {state}");
                return null;
            }
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) =>
                owner.Queue.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
