using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Web;

/// <summary>No PostgreSQL message reaches an API client or a portal user.</summary>
public sealed class DatabaseErrorTests
{
    [Fact]
    public async Task An_upload_the_database_refuses_is_answered_503_with_a_German_sentence_and_no_database_text()
    {
        await using var api = await ApiHost.StartAsync();
        await using (var cmd = api.Scenario.Db.DataSource.CreateCommand(
            "alter table uploads rename to uploads_elsewhere"))
            await cmd.ExecuteNonQueryAsync();

        var response = await api.Client(api.KeyA).PostAsync("/api/returns?fileName=KDZA-2025.xlsx",
            new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Datenbank", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain("uploads", body);
        Assert.DoesNotContain("42P01", body);
    }

    [Fact]
    public async Task An_unregistered_provider_named_in_an_API_upload_is_a_verdict_at_the_cover_cell()
    {
        await using var api = await ApiHost.StartAsync(withJobServer: true);
        var dir = Directory.CreateTempSubdirectory("unregistered-api-").FullName;
        var reference = Reporting.Ingestion.DemoReturnReference.Load(TestPaths.DemoReference);
        var wtit = reference.Providers.Single(p => p.Code == "WTIT");
        var g = Reporting.Ingestion.DemoReturnGenerator.Generate(reference, wtit, "2025", 7);
        var path = Path.Combine(dir, "WTIT-2025.xlsx");
        Reporting.Ingestion.DemoReturnWriter.Write(g, reference.Catalog, path);
        var client = api.Client(api.KeyA);

        var response = await client.PostAsync("/api/returns?fileName=WTIT-2025.xlsx",
            new ByteArrayContent(await File.ReadAllBytesAsync(path)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        var status = await Eventually.WaitForAsync(() => client.GetFromJsonAsync<JsonElement>(url),
            st => st.GetProperty("status").GetString() != "received", "the verdict", 120);

        Assert.Equal("rejected", status.GetProperty("status").GetString());
        Assert.Contains(status.GetProperty("messages").EnumerateArray(), m =>
            m.GetProperty("sheet").GetString() == "Deckblatt"
            && m.GetProperty("cell").GetString() == "B4" && m.GetProperty("value").GetString() == "WTIT");
        Assert.DoesNotContain("foreign key", status.GetRawText());
        Directory.Delete(dir, true);
    }
}
