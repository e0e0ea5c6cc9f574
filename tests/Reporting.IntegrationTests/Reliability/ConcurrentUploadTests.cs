using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Uploads;
using Xunit.Abstractions;
using Reporting.Access;

namespace Reporting.IntegrationTests.Reliability;

/// <summary>
/// 50 providers upload at the same moment to the real web host (Kestrel, loopback) with its job workers.
/// </summary>
public sealed class ConcurrentUploadTests(ITestOutputHelper output)
{
    const int Providers = 50;

    [Fact]
    public async Task Fifty_providers_uploading_at_once_are_all_acknowledged_and_each_return_is_ingested_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        // MaxConcurrentUploads bounds the memory of large uploads (503 beyond it); this is about fifty at once.
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true,
            ("Uploads:MaxConcurrentUploads", Providers.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var keys = web.Services.GetRequiredService<ProviderKeys>();

        // One generated return, made distinct per provider by its code on the cover (a shared string).
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == "KDZA"), "2025", 42);
        var path = Path.Combine(Directory.CreateTempSubdirectory("load-").FullName, "KDZA-2025.xlsx");
        DemoReturnWriter.WriteThroughTemplate(g, reference.Catalog, path);
        var template = await File.ReadAllBytesAsync(path);

        var uploads = new List<(string Code, string Key, byte[] Bytes)>();
        for (var i = 1; i <= Providers; i++)
        {
            var code = $"LAST{i:00}";
            await keys.EnsureAsync(code, $"Lasttest-Dienstleister {i}");
            uploads.Add((code, await keys.IssueKeyAsync(code), WithProviderCode(template, code)));
        }

        var acks = new ConcurrentBag<(string Code, HttpStatusCode Status, string Body, TimeSpan Took)>();
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var start = new TaskCompletionSource();
        var all = Stopwatch.StartNew();
        var tasks = uploads.Select(async u =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns")
            {
                Content = new MultipartFormDataContent { { new ByteArrayContent(u.Bytes), "file",
                    $"{u.Code}-2025.xlsx" } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", u.Key);
            var took = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            acks.Add((u.Code, response.StatusCode, await response.Content.ReadAsStringAsync(), took.Elapsed));
        }).ToList();
        all.Restart();
        start.SetResult();
        await Task.WhenAll(tasks);
        var acknowledged = all.Elapsed;

        var refused = acks.Where(a => a.Status != HttpStatusCode.Accepted).ToList();
        foreach (var r in refused) output.WriteLine($"refused {r.Code}: {(int)r.Status} {r.Body}");
        Assert.All(refused, r
            => Assert.Contains("detail", r.Body, StringComparison.Ordinal));   // refused with a reason, never silently
        Assert.Empty(refused);   // on one host none should be refused at all

        await Eventually.WaitForAsync(() => db.ScalarAsync<int>(
            "select count(*) from return_versions where status <> 'received'"), n => n == Providers,
            "all uploads to be ingested", 240);
        var ingested = all.Elapsed;

        Assert.Equal(Providers, await db.ScalarAsync<int>("select count(*) from uploads"));
        Assert.Equal(Providers, await db.ScalarAsync<int>(
            "select count(*) from return_versions where status = 'accepted' and version = 1"));
        Assert.Equal(Providers, await db.ScalarAsync<int>("select count(distinct provider_code) from return_versions"));
        Assert.Equal(Providers * g.Costs.Count, await db.ScalarAsync<int>("select count(*) from cost_facts"));
        Assert.Equal(Providers * g.Ozg.Count, await db.ScalarAsync<int>("select count(*) from ozg_facts"));

        var slowest = acks.MaxBy(a => a.Took);
        output.WriteLine(
            $"{Providers} concurrent uploads ({template.Length / 1024} KB each): all acknowledged after "
                + $"{acknowledged.TotalSeconds:0.00} s " +
            $"({Providers / acknowledged.TotalSeconds:0.0} uploads/s), slowest acknowledgement "
                + $"{slowest.Took.TotalMilliseconds:0} ms ({slowest.Code}), " +
            $"median {acks.Select(a => a.Took.TotalMilliseconds).Order().ElementAt(Providers / 2):0} ms; all ingested "
                + $"after {ingested.TotalSeconds:0.0} s " +
            $"({Providers / ingested.TotalSeconds:0.0} returns/s)");
    }

    /// <summary>The workbook with another provider code on the cover: the shared string "KDZA" replaced.</summary>
    static byte[] WithProviderCode(byte[] xlsx, string code)
    {
        using var ms = new MemoryStream();
        ms.Write(xlsx);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/sharedStrings.xml")!;
            string text;
            using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
            var replaced = text.Replace(":t>KDZA</", $":t>{code}</", StringComparison.Ordinal);
            Assert.NotEqual(text, replaced);
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml").Open(), new UTF8Encoding(false));
            w.Write(replaced);
        }
        return ms.ToArray();
    }
}
