using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Ingestion;

/// <summary>
/// Real workbooks (written by the demo-return generator) through the API, the Hangfire job and the ingest verb.
/// </summary>
public sealed class EndToEndTests
{
    static (string Path, DemoReturnGenerator.Generated Generated) Generate(string dir, string provider, string period,
        int seed = 42)
    {
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == provider), period,
            seed);
        var path = Path.Combine(dir, $"{provider}-{period}.xlsx");
        DemoReturnWriter.Write(g, reference.Catalog, path);
        return (path, g);
    }

    static async Task<JsonElement> WaitForVerdictAsync(HttpClient client, string url)
    {
        // A limit on waiting, not a speed assertion: a job that never runs fails the test instead of hanging it.
        var until = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>(url);
            if (status.GetProperty("status").GetString() != "received" || DateTime.UtcNow > until) return status;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_generated_workbook_uploaded_through_the_API_is_ingested_by_the_job_into_facts()
    {
        await using var api = await ApiHost.StartAsync(withJobServer: true);
        var dir = Directory.CreateTempSubdirectory("e2e-").FullName;
        var (path, g) = Generate(dir, "KDZA", "2025");
        var client = api.Client(api.KeyA);

        var response = await client.PostAsync("/api/returns", new MultipartFormDataContent { { new ByteArrayContent(
            await File.ReadAllBytesAsync(path)), "file", "KDZA-2025.xlsx" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        var status = await WaitForVerdictAsync(client, url);

        Assert.Equal("accepted", status.GetProperty("status").GetString());
        Assert.Equal(0, status.GetProperty("errors").GetInt32());
        var id = status.GetProperty("id").GetInt64();
        var db = api.Scenario.Db;
        Assert.Equal(g.Costs.Count,
            await db.ScalarAsync<int>($"select count(*) from cost_facts where return_version_id = {id}"));
        Assert.Equal(g.Supply.Count,
            await db.ScalarAsync<int>($"select count(*) from supply_facts where return_version_id = {id}"));
        Assert.Equal(g.Ozg.Count,
            await db.ScalarAsync<int>($"select count(*) from ozg_facts where return_version_id = {id}"));
        Assert.Equal(g.Costs.Sum(c => c.Amount),
            await db.ScalarAsync<decimal>($"select sum(amount) from cost_facts where return_version_id = {id}"));
        Assert.Equal("2025", await db.ScalarAsync<string>($"select period from current_versions where id = {id}"));

        // The same bytes again: recognised, no second version, no second job.
        var again = await client.PostAsync("/api/returns", new ByteArrayContent(await File.ReadAllBytesAsync(path)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from return_versions"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_workbook_with_a_wrong_municipality_key_is_rejected_with_the_cell_named()
    {
        await using var api = await ApiHost.StartAsync(withJobServer: true);
        var dir = Directory.CreateTempSubdirectory("e2e-").FullName;
        var (path, _) = Generate(dir, "KDZA", "2025");
        using (var wb = new XLWorkbook(path))
        {
            wb.Worksheet("Versorgung").Cell(4, 1).Value = "99999999";
            wb.Save();
        }
        var client = api.Client(api.KeyA);

        var response = await client.PostAsync("/api/returns?fileName=KDZA-2025.xlsx",
            new ByteArrayContent(await File.ReadAllBytesAsync(path)));
        var status = await WaitForVerdictAsync(client,
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!);

        Assert.Equal("rejected", status.GetProperty("status").GetString());
        Assert.Contains(status.GetProperty("messages").EnumerateArray(), m =>
            m.GetProperty("severity").GetString() == "error" && m.GetProperty("sheet").GetString() == "Versorgung"
                && m.GetProperty("value").GetString() == "99999999");
        Assert.Equal(0, await api.Scenario.Db.ScalarAsync<int>("select count(*) from supply_facts"));

        // The feedback workbook: the provider's own workbook, the offending cell highlighted, all messages listed.
        var feedback = await client.GetAsync(status.GetProperty("feedbackUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        var feedbackPath = Path.Combine(dir, "feedback.xlsx");
        await File.WriteAllBytesAsync(feedbackPath, await feedback.Content.ReadAsByteArrayAsync());
        using (var wb = new XLWorkbook(feedbackPath))
        {
            Assert.True(wb.TryGetWorksheet(FeedbackWorkbook.MessagesSheet, out _));
            var bad = wb.Worksheet("Versorgung").Cell(4, 1);
            Assert.Equal("99999999", bad.GetString());
            Assert.Equal("F8CBAD", bad.Style.Fill.BackgroundColor.Color.ToArgb().ToString("X8")[2..]);
        }
        Assert.Equal(HttpStatusCode.NotFound,
            (await api.Client(api.KeyB).GetAsync(status.GetProperty("feedbackUrl").GetString())).StatusCode);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task The_template_is_served_for_a_period_with_the_providers_code_prefilled()
    {
        await using var api = await ApiHost.StartAsync();
        var dir = Directory.CreateTempSubdirectory("tpl-").FullName;

        var response = await api.Client(api.KeyA).GetAsync("/api/template?period=2025");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(dir, "template.xlsx");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        using (var wb = new XLWorkbook(path))
        {
            Assert.True(wb.TryGetWorksheet("Deckblatt", out var cover));
            Assert.Contains(cover!.CellsUsed(), c => c.GetString() == "KDZA");
        }
        Assert.Equal(HttpStatusCode.BadRequest,
            (await api.Client(api.KeyA).GetAsync("/api/template?period=25")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await api.Client().GetAsync("/api/template?period=2025")).StatusCode);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_provider_uploading_another_providers_workbook_is_rejected()
    {
        await using var api = await ApiHost.StartAsync(withJobServer: true);
        var dir = Directory.CreateTempSubdirectory("e2e-").FullName;
        var (path, _) = Generate(dir, "ITVB", "2025");
        var client = api.Client(api.KeyA);

        var response = await client.PostAsync("/api/returns?fileName=ITVB-2025.xlsx",
            new ByteArrayContent(await File.ReadAllBytesAsync(path)));
        var status = await WaitForVerdictAsync(client,
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!);

        Assert.Equal("rejected", status.GetProperty("status").GetString());
        Assert.Equal("KDZA", status.GetProperty("provider").GetString());
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task The_ingest_verb_prints_the_verdict_exits_0_if_accepted_2_if_rejected_and_recognises_known_bytes()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("ingest-").FullName;
        var (good, g) = Generate(dir, "KDZA", "2025");
        var (other, _) = Generate(dir, "ITVB", "2025");

        var (code, output) = await RunAsync(s.Db, "ingest", good, "--format", "json");
        var result = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal(0, code);
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        Assert.Equal(1, result.GetProperty("version").GetInt32());
        Assert.Equal(g.Ozg.Count, await s.Db.ScalarAsync<int>("select count(*) from ozg_facts"));

        var (againCode, againOutput) = await RunAsync(s.Db, "ingest", good);
        Assert.Equal(0, againCode);
        Assert.Contains("same bytes as before", againOutput);
        Assert.Equal(g.Ozg.Count, await s.Db.ScalarAsync<int>("select count(*) from ozg_facts"));

        var report = Path.Combine(dir, "Rueckmeldung.xlsx");
        var (rejectedCode, rejectedOutput) = await RunAsync(s.Db, "ingest", other, "--provider", "KDZA", "--report",
            report);
        Assert.Equal(2, rejectedCode);
        Assert.Contains("rejected", rejectedOutput);
        Assert.Contains("Fehler: Deckblatt", rejectedOutput);
        using (var wb = new XLWorkbook(report))
            Assert.Contains(wb.Worksheet(FeedbackWorkbook.MessagesSheet).CellsUsed(), c
                => c.GetString().Contains("ITVB", StringComparison.Ordinal));
        Directory.Delete(dir, true);
    }

    static async Task<(int Code, string Out)> RunAsync(TestDatabase db, params string[] args)
    {
        var r = await AppProcess.RunAsync(db, args);
        Assert.True(r.ExitCode is 0 or 2, r.Err);
        return (r.ExitCode, r.Out);
    }
}
