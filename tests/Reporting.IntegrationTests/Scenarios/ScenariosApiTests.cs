using System.Net;
using System.Text;
using System.Text.Json;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Scenarios;

public sealed class ScenariosApiTests
{
    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task An_admin_posts_a_scenario_and_gets_baseline_scenario_and_deltas_with_their_assumptions()
    {
        await using var api = await ApiHost.StartAsync();
        var s = api.Scenario;
        await s.Ingester.StoreAsync(await s.ReceiveAsync("KDZA"), s.Return("KDZA", "2025"));
        await s.Ingester.StoreAsync(await s.ReceiveAsync("ITVB"), s.Return("ITVB", "2025"));

        using var response = await api.Client(admin: true).PostAsync("/api/scenarios?scope=nrw", Json("""
            {"name": "Fusion", "period": "2025", "changes": [{"merge": ["KDZA", "ITVB"], "into": "KDZA"}]}
            """));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal("Fusion", root.GetProperty("name").GetString());
        Assert.NotEmpty(root.GetProperty("assumptions").EnumerateArray());
        var low = root.GetProperty("estimates")[0];
        Assert.Equal("low", low.GetProperty("estimate").GetString());
        Assert.NotEmpty(low.GetProperty("assumptions").EnumerateArray());
        var total = low.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("kpi").GetString()
            == "total_cost" && v.GetProperty("dimension").GetString() == "nrw");
        foreach (var field in new[] { "baseline", "scenario", "delta", "deltaRelative" })
            Assert.Equal(JsonValueKind.Number, total.GetProperty(field).ValueKind);
    }

    [Fact]
    public async Task A_scenario_with_unknown_codes_is_a_German_400_listing_each_problem_and_providers_are_refused()
    {
        await using var api = await ApiHost.StartAsync();
        await api.Scenario.Ingester.StoreAsync(await api.Scenario.ReceiveAsync("KDZA"),
            api.Scenario.Return("KDZA", "2025"));
        using var response = await api.Client(admin: true).PostAsync("/api/scenarios", Json("""
            {"name": "x", "period": "2025", "changes": [{"merge": ["KDZA", "NIEMAND"], "into": "KDZA"},
              {"move": {"districts": ["05999"]}, "services": ["ARB"], "to": "KDZA"}]}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problems = doc.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("Änderung 1: Dienstleister „NIEMAND“ ist unbekannt.", problems);
        Assert.Contains("Änderung 2: Kreis „05999“ ist unbekannt.", problems);
        Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var broken = await api.Client(admin: true).PostAsync("/api/scenarios", Json("{\"name\": "));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        using var provider = await api.Client(api.KeyA).PostAsync("/api/scenarios", Json("{}"));
        Assert.Equal(HttpStatusCode.Forbidden, provider.StatusCode);
    }
}
