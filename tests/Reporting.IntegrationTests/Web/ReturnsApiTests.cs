using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Web;

public sealed class ReturnsApiTests
{
    static MultipartFormDataContent Form(byte[] bytes, string name = "KDZA-2025.xlsx") =>
        new() { { new ByteArrayContent(bytes), "file", name } };

    [Fact]
    public async Task An_upload_is_stored_and_answered_with_202_and_a_status_url_and_its_ingest_job_is_queued()
    {
        await using var api = await ApiHost.StartAsync();
        var bytes = Guid.NewGuid().ToByteArray();

        var response = await api.Client(api.KeyA).PostAsync("/api/returns", Form(bytes));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/returns/{id}", body.GetProperty("statusUrl").GetString());
        Assert.Equal("received", body.GetProperty("status").GetString());
        Assert.Equal($"/api/returns/{id}", response.Headers.Location!.OriginalString);
        // The bytes were committed before the answer.
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(),
            await api.Scenario.Db.ScalarAsync<string>(
                $"select encode(u.sha256, 'hex') from uploads u join return_versions v on v.upload_id = u.id where "
                    + $"v.id = {id} and (select string_agg(c.bytes, ''::bytea order by c.seq) from upload_chunks c "
                        + $"where c.upload_id = u.id) = decode('{Convert.ToHexString(bytes)}', 'hex')"));
        var status = await api.Client(api.KeyA).GetFromJsonAsync<JsonElement>($"/api/returns/{id}");
        Assert.Equal("received", status.GetProperty("status").GetString());
        Assert.Equal("KDZA", status.GetProperty("provider").GetString());
        // One ingest job, on queue "ingest", named so a person understands it.
        var monitor = api.App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var job = Assert.Single(monitor.EnqueuedJobs("ingest", 0, 10));
        Assert.Equal(id, job.Value.Job.Args[0]);
        Assert.Equal("KDZA-2025.xlsx (KDZA)", job.Value.Job.Args[1]);
    }

    [Fact]
    public async Task The_same_bytes_twice_give_one_upload_and_one_version()
    {
        await using var api = await ApiHost.StartAsync();
        var bytes = Guid.NewGuid().ToByteArray();
        var first = await (await api.Client(api.KeyA).PostAsync("/api/returns",
            Form(bytes))).Content.ReadFromJsonAsync<JsonElement>();

        var again = await api.Client(api.KeyA).PostAsync("/api/returns?fileName=renamed.xlsx",
            new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("id").GetInt64(), body.GetProperty("id").GetInt64());
        Assert.True(body.GetProperty("recognised").GetBoolean());
        Assert.Equal(1, await api.Scenario.Db.ScalarAsync<int>("select count(*) from uploads"));
        Assert.Equal(1, await api.Scenario.Db.ScalarAsync<int>("select count(*) from return_versions"));
    }

    [Fact]
    public async Task Bytes_another_provider_holds_are_answered_like_a_fresh_upload_of_ones_own()
    {
        await using var api = await ApiHost.StartAsync();
        var held = Guid.NewGuid().ToByteArray();
        var theirs = await (await api.Client(api.KeyB).PostAsync("/api/returns", Form(held))).Content
            .ReadFromJsonAsync<JsonElement>();

        var same = await api.Client(api.KeyA).PostAsync("/api/returns", Form(held));
        var fresh = await api.Client(api.KeyA).PostAsync("/api/returns", Form(Guid.NewGuid().ToByteArray()));

        Assert.Equal(fresh.StatusCode, same.StatusCode);
        var body = await same.Content.ReadFromJsonAsync<JsonElement>();
        var freshBody = await fresh.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.NotEqual(theirs.GetProperty("id").GetInt64(), id);
        Assert.Equal(freshBody.GetProperty("status").GetString(), body.GetProperty("status").GetString());
        Assert.Equal(freshBody.GetProperty("recognised").GetBoolean(), body.GetProperty("recognised").GetBoolean());
        Assert.Equal($"/api/returns/{id}", same.Headers.Location!.OriginalString);
        // The new version is the uploader's own, with its own upload row.
        var status = await api.Client(api.KeyA).GetFromJsonAsync<JsonElement>($"/api/returns/{id}");
        Assert.Equal("KDZA", status.GetProperty("provider").GetString());
        Assert.Equal(3, await api.Scenario.Db.ScalarAsync<int>("select count(*) from uploads"));
        // Its own bytes again keep the "already submitted" answer.
        var again = await api.Client(api.KeyA).PostAsync("/api/returns", Form(held));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_provider_cannot_read_another_providers_return_but_an_admin_can()
    {
        await using var api = await ApiHost.StartAsync();
        var posted = await (await api.Client(api.KeyA).PostAsync("/api/returns",
            Form(Guid.NewGuid().ToByteArray()))).Content.ReadFromJsonAsync<JsonElement>();
        var url = posted.GetProperty("statusUrl").GetString();

        Assert.Equal(HttpStatusCode.OK, (await api.Client(api.KeyA).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client(api.KeyB).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client(api.KeyB).GetAsync(url + "/feedback")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client(api.KeyB).GetAsync(url + "/changes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(admin: true).GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client(api.KeyA).GetAsync("/api/returns/999999")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_and_wrong_keys_get_401_and_an_admin_cannot_submit()
    {
        await using var api = await ApiHost.StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await api.Client().PostAsync("/api/returns", Form([1, 2, 3]))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().GetAsync("/api/returns/1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await api.Client("not-a-key").PostAsync("/api/returns", Form([1, 2, 3]))).StatusCode);
        Assert.NotEqual(HttpStatusCode.Accepted,
            (await api.Client(admin: true).PostAsync("/api/returns", Form([1, 2, 3]))).StatusCode);
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<int>("select count(*) from uploads"));
    }

    [Fact]
    public async Task A_revoked_key_gets_401()
    {
        await using var api = await ApiHost.StartAsync();
        await api.Scenario.App.Services.GetRequiredService<Reporting.Access.ProviderKeys>().IssueKeyAsync("KDZA");

        Assert.Equal(HttpStatusCode.Unauthorized,
            (await api.Client(api.KeyA).PostAsync("/api/returns", Form([1, 2, 3]))).StatusCode);
    }

    [Fact]
    public async Task Too_many_wrong_keys_get_429_while_a_valid_key_from_the_same_address_keeps_working()
    {
        await using var api = await ApiHost.StartAsync(("SignIn:MaxFailedAttempts", "3"),
            ("SignIn:DelayMilliseconds", "1"));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await api.Client("wrong" + i).GetAsync("/api/returns/1")).StatusCode);
        for (var i = 0; i < 20; i++)
        {
            var refused = await api.Client("wrong-again" + i).PostAsync("/api/returns", Form([1, 2, 3]));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) > 0);
        }

        Assert.Equal(HttpStatusCode.Accepted,
            (await api.Client(api.KeyA).PostAsync("/api/returns", Form([1, 2, 3]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client(api.KeyB).GetAsync("/api/template?period=2025")).StatusCode);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_gets_413_and_is_not_stored()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxUploadBytes", "1000"));

        var raw = await api.Client(api.KeyA).PostAsync("/api/returns", new ByteArrayContent(new byte[5000]));
        var form = await api.Client(api.KeyA).PostAsync("/api/returns", Form(new byte[5000]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, raw.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.StatusCode);
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<int>("select count(*) from uploads"));
    }

    [Fact]
    public async Task The_status_lists_the_messages_of_a_rejected_return_and_changes_list_what_a_new_version_changed()
    {
        await using var api = await ApiHost.StartAsync();
        var s = api.Scenario;
        var firstId = (await (await api.Client(api.KeyA).PostAsync("/api/returns",
            Form(Guid.NewGuid().ToByteArray()))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await s.Ingester.StoreAsync(firstId, s.Return("KDZA", "2025"));
        var secondId = (await (await api.Client(api.KeyA).PostAsync("/api/returns",
            Form(Guid.NewGuid().ToByteArray()))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await s.Ingester.StoreAsync(secondId, s.Return("KDZA", "2025", costFactor: 1.5m));
        var badId = (await (await api.Client(api.KeyA).PostAsync("/api/returns",
            Form(Guid.NewGuid().ToByteArray()))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var bad = s.Return("KDZA", "2025");
        bad.Messages.Add(new(Severity.Error, "Versorgung", "B7", "0581100", "L4-AGS",
            "Der Gemeindeschlüssel ist unbekannt."));
        await s.Ingester.StoreAsync(badId, bad);

        var status = await api.Client(api.KeyA).GetFromJsonAsync<JsonElement>($"/api/returns/{badId}");
        var changes = await api.Client(api.KeyA).GetFromJsonAsync<JsonElement>($"/api/returns/{secondId}/changes");

        Assert.Equal("rejected", status.GetProperty("status").GetString());
        var message = Assert.Single(status.GetProperty("messages").EnumerateArray());
        Assert.Equal(("error", "Versorgung", "B7", "L4-AGS"),
            (message.GetProperty("severity").GetString(), message.GetProperty("sheet").GetString(),
            message.GetProperty("cell").GetString(), message.GetProperty("rule").GetString()));
        Assert.Equal(firstId, changes.GetProperty("previousVersionId").GetInt64());
        Assert.Equal(3, changes.GetProperty("changes").GetArrayLength());
        Assert.Equal("superseded", (await api.Client(api.KeyA).GetFromJsonAsync<JsonElement>($"/api/returns/{firstId}"))
            .GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_feedback_on_a_hostile_upload_is_a_German_list_built_once_and_then_served_from_storage()
    {
        await using var api = await ApiHost.StartAsync();
        var bytes = Reporting.Tests.Shared.HostileWorkbooks.NestedRuns();
        var id = (await (await api.Client(api.KeyA).PostAsync("/api/returns",
            Form(bytes))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var outcome = await api.Scenario.Ingester.IngestAsync(id);
        Assert.Equal("rejected", outcome.Status);
        Assert.Contains(outcome.Messages, m => m.Rule == "Datei.Verschachtelung");

        var first = await api.Client(api.KeyA).GetAsync($"/api/returns/{id}/feedback");
        var second = await api.Client(api.KeyA).GetByteArrayAsync($"/api/returns/{id}/feedback");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var workbook = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(workbook, second);
        Assert.Equal(await api.Scenario.Db.ScalarAsync<byte[]>(
            $"select content from return_feedback where return_version_id = {id}"), workbook);
        Assert.Equal(1, await api.Scenario.Db.ScalarAsync<int>(
            $"select count(*) from return_feedback where return_version_id = {id}"));
        using var wb = new ClosedXML.Excel.XLWorkbook(new MemoryStream(workbook));
        var ws = Assert.Single(wb.Worksheets);
        Assert.Equal(FeedbackWorkbook.MessagesSheet, ws.Name);
        Assert.Contains("Sicherheitsgründen", ws.Cell(6, 6).GetString(), StringComparison.Ordinal);
    }
}
