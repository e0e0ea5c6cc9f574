using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Reporting.Access;
using Reporting.IntegrationTests.Security;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Uploads;

/// <summary>
/// One provider cannot block the others: it holds at most its share of the upload slots, each upload's receiving
/// ends at its deadline, the storage quota counts the bytes as they arrive, and an upload counts against the hourly
/// rate when it starts.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class UploadFairnessTests
{
    /// <summary>Bounds every wait here, so that a regression fails instead of hanging the run.</summary>
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_provider_holding_an_upload_slot_gets_429_for_a_second_while_another_provider_still_gets_in()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxConcurrentUploads", "2"));
        var gate = api.App.Services.GetRequiredService<UploadGate>();
        var release = new TaskCompletionSource();
        var held = api.Client(api.KeyA).PostAsync("/api/returns", new HeldContent(release.Task));
        await HeldContent.UntilAsync(() => gate.Free == 1, Bound);

        var secondOfA = await api.Client(api.KeyA).PostAsync("/api/returns", Bytes());
        var portalOfA = await BadInputAnswerTests.PortalUploadAsync(api, api.KeyA, Guid.NewGuid().ToByteArray(),
            "KDZA-2025.xlsx");
        var otherProvider = await api.Client(api.KeyB).PostAsync("/api/returns", Bytes());
        release.SetResult();
        var first = await held.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.TooManyRequests, secondOfA.StatusCode);
        Assert.Equal("application/problem+json", secondOfA.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Es läuft bereits ein Upload für Sie", await secondOfA.Content.ReadAsStringAsync());
        Assert.NotNull(secondOfA.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, portalOfA.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, otherProvider.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task An_upload_still_arriving_at_its_deadline_is_answered_408_in_German_and_frees_its_slot()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxConcurrentUploads", "1"),
            ("Uploads:MaxUploadSeconds", "1"));
        var gate = api.App.Services.GetRequiredService<UploadGate>();
        var never = new TaskCompletionSource();
        try
        {
            var held = await api.Client(api.KeyA).PostAsync("/api/returns", new HeldContent(never.Task))
                .WaitAsync(Bound);

            Assert.Equal(HttpStatusCode.RequestTimeout, held.StatusCode);
            Assert.Equal("application/problem+json", held.Content.Headers.ContentType?.MediaType);
            Assert.Contains("zu lange gedauert (höchstens 1 Sekunde je Datei)", await held.Content.ReadAsStringAsync());
            Assert.Equal(1, gate.Free);
            Assert.Equal(HttpStatusCode.Accepted,
                (await api.Client(api.KeyB).PostAsync("/api/returns", Bytes())).StatusCode);
            Assert.Equal(0, await api.Scenario.Db.ScalarAsync<long>(
                "select count(*) from uploads where provider_code = 'KDZA'"));
        }
        finally
        {
            never.SetResult();
        }
    }

    [Fact]
    public async Task Clients_trickling_300_bytes_a_second_on_loopback_neither_keep_another_provider_out_nor_hold_on()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings:
            [("Uploads:MaxConcurrentUploads", "2"), ("Uploads:MaxUploadSeconds", "3")]);
        var keys = web.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "KDZ Auenland");
        await keys.EnsureAsync("ITVB", "ITV Brückenfeld");
        var (keyA, keyB) = (await keys.IssueKeyAsync("KDZA"), await keys.IssueKeyAsync("ITVB"));
        var gate = web.Services.GetRequiredService<UploadGate>();
        using var stop = new CancellationTokenSource(Bound);
        using var a = Client(web, keyA);
        using var b = Client(web, keyB);

        var trickles = Enumerable.Range(0, 2).Select(_ => TrickleAsync(new Uri(web.BaseUrl), keyA, stop.Token))
            .ToArray();
        var firstAnswered = await Task.WhenAny(trickles).WaitAsync(Bound);
        var refused = await firstAnswered;
        var otherProvider = await b.PostAsync("/api/returns", Bytes());
        var held = await trickles.Single(t => t != firstAnswered).WaitAsync(Bound);
        var afterwards = await a.PostAsync("/api/returns", Bytes());
        var portal = await TrickleAsync(new Uri(web.BaseUrl), keyA, stop.Token, portal: true).WaitAsync(Bound);

        Assert.Equal(429, refused);
        Assert.Equal(HttpStatusCode.Accepted, otherProvider.StatusCode);
        // The trickle is cut off at its deadline, not when the client stops.
        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(408, held);
        Assert.Equal(2, gate.Free);
        Assert.Equal(HttpStatusCode.Accepted, afterwards.StatusCode);
        // The portal's form is cut off at the deadline too; its 408 did not reach this raw client in every run (the
        // connection closed first), so what counts here is that the server ended it before the client stopped.
        Assert.True(portal is 408 or null, $"{portal}");
        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task An_upload_without_Content_Length_over_the_storage_quota_is_refused_on_the_API_and_the_portal()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxStoredBytesPerProvider", "100"));
        var a = api.Client(api.KeyA);
        Assert.Equal(HttpStatusCode.Accepted,
            (await a.PostAsync("/api/returns", new ByteArrayContent(new byte[40]))).StatusCode);

        var raw = await a.PostAsync("/api/returns", new UnsizedContent(new ByteArrayContent(new byte[80])));
        var form = await a.PostAsync("/api/returns", new UnsizedContent(new MultipartFormDataContent
            { { new ByteArrayContent(new byte[80]), "file", "KDZA-2025.xlsx" } }));
        var portal = await BadInputAnswerTests.PortalUploadAsync(api, api.KeyA, new byte[80], "KDZA-2025.xlsx",
            chunked: true);
        var fits = await a.PostAsync("/api/returns", new UnsizedContent(new ByteArrayContent(new byte[60])));

        foreach (var refused in new[] { raw, form, portal })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("Speicherplatz für Ihre Uploads ist erschöpft", await refused.Content.ReadAsStringAsync());
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        Assert.Equal(100, await api.Scenario.Db.ScalarAsync<long>(
            "select sum(size_bytes)::bigint from uploads where provider_code = 'KDZA'"));
    }

    [Fact]
    public async Task Uploads_count_against_the_hourly_rate_when_they_start_even_when_cut_off_or_already_known()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxUploadsPerHour", "3"),
            ("Uploads:MaxUploadBytes", "1000"));
        var a = api.Client(api.KeyA);
        var known = Guid.NewGuid().ToByteArray();

        var cutOff = await a.PostAsync("/api/returns", new UnsizedContent(new ByteArrayContent(new byte[2000])));
        var stored = await a.PostAsync("/api/returns", new ByteArrayContent(known));
        var again = await a.PostAsync("/api/returns", new ByteArrayContent(known));
        var fourth = await a.PostAsync("/api/returns", Bytes());
        var otherProvider = await api.Client(api.KeyB).PostAsync("/api/returns", Bytes());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, cutOff.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, stored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Contains("höchstens 3 je Stunde", await fourth.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, otherProvider.StatusCode);
        Assert.Equal(1, await api.Scenario.Db.ScalarAsync<long>(
            "select count(*) from uploads where provider_code = 'KDZA'"));
    }

    static ByteArrayContent Bytes() => new(Guid.NewGuid().ToByteArray());

    static HttpClient Client(WebTestHost web, string key) => new(new SocketsHttpHandler())
    {
        BaseAddress = new Uri(web.BaseUrl), Timeout = Bound,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    /// <summary>
    /// Posts a chunked body of 30 bytes every 100 ms over a raw loopback connection (so the answer is read while the
    /// body is still being sent), until the server answers or closes, or <paramref name="stop"/>; the answer's status
    /// code, or null when the connection closed without one.
    /// </summary>
    /// <param name="portal">To the portal's upload form (the API key signs the portal in), not the API.</param>
    static async Task<int?> TrickleAsync(Uri server, string key, CancellationToken stop, bool portal = false)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, stop);
        var net = tcp.GetStream();
        var (path, type) = portal
            ? ("/portal/hochladen", "multipart/form-data; boundary=trickle")
            : ("/api/returns", "application/octet-stream");
        await net.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\n"
            + $"Authorization: Bearer {key}\r\nContent-Type: {type}\r\nTransfer-Encoding: chunked\r\n\r\n"), stop);
        if (portal)
        {
            var part = "--trickle\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"KDZA-2025.xlsx\"\r\n\r\n";
            await net.WriteAsync(Encoding.ASCII.GetBytes($"{part.Length:x}\r\n{part}\r\n"), stop);
        }
        var answer = StatusAsync(net, stop);
        var chunk = Encoding.ASCII.GetBytes("1e\r\n" + new string('x', 30) + "\r\n");
        while (!answer.IsCompleted)
        {
            try
            {
                await net.WriteAsync(chunk, stop);
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(answer, Task.Delay(100, stop));
        }
        return await answer;
    }

    static async Task<int?> StatusAsync(NetworkStream net, CancellationToken stop)
    {
        var line = new List<byte>();
        var buffer = new byte[1];
        try
        {
            while ((line.Count == 0 || line[^1] != (byte)'\n') && await net.ReadAsync(buffer, stop) == 1)
                line.Add(buffer[0]);
        }
        catch (IOException)
        {
            // Reset by the server: whatever came before is the answer.
        }
        var status = Encoding.ASCII.GetString([.. line]).Split(' ');
        return status.Length > 1 && int.TryParse(status[1], out var code) ? code : null;
    }
}
