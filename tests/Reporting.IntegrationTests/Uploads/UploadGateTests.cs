using System.Net;
using System.Net.Http.Headers;
using Reporting.IntegrationTests.Security;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Uploads;

public sealed class UploadGateTests
{
    [Fact]
    public async Task Uploads_beyond_the_concurrent_limit_get_503_with_Retry_After_on_the_API_and_the_portal_alike()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxConcurrentUploads", "1"));
        var gate = api.App.Services.GetRequiredService<UploadGate>();
        var release = new TaskCompletionSource();
        var held = api.Client(api.KeyA).PostAsync("/api/returns", new HeldContent(release.Task));
        await HeldContent.UntilAsync(() => gate.Free == 0, TimeSpan.FromSeconds(20));

        var api2 = await api.Client(api.KeyB).PostAsync("/api/returns", Bytes());
        var portal = await BadInputAnswerTests.PortalUploadAsync(api, api.KeyB, Guid.NewGuid().ToByteArray(),
            "ITVB-2025.xlsx");
        release.SetResult();
        var first = await held;
        var after = await api.Client(api.KeyB).PostAsync("/api/returns", Bytes());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, api2.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), api2.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", api2.Content.Headers.ContentType?.MediaType);
        Assert.Contains("gleichzeitig", await api2.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, portal.StatusCode);
        Assert.NotNull(portal.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Equal(1, gate.Free);
        Assert.Equal(2, await api.Scenario.Db.ScalarAsync<long>("select count(*) from uploads"));
    }

    static ByteArrayContent Bytes() => new(Guid.NewGuid().ToByteArray());
}
