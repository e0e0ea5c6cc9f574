using System.Net;
using Reporting.IntegrationTests.Security;
using Hangfire.Storage;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Uploads;

public sealed class UploadQuotaTests
{
    static MultipartFormDataContent Form(byte[] bytes)
        => new() { { new ByteArrayContent(bytes), "file", "KDZA-2025.xlsx" } };

    [Fact]
    public async Task Uploads_over_the_hourly_rate_get_429_with_Retry_After_on_the_API_and_the_portal_alike()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxUploadsPerHour", "2"));
        var a = api.Client(api.KeyA);

        Assert.Equal(HttpStatusCode.Accepted,
            (await a.PostAsync("/api/returns", Form(Guid.NewGuid().ToByteArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await a.PostAsync("/api/returns", Form(Guid.NewGuid().ToByteArray()))).StatusCode);
        var third = await a.PostAsync("/api/returns", Form(Guid.NewGuid().ToByteArray()));
        var portal = await BadInputAnswerTests.PortalUploadAsync(api, api.KeyA, Guid.NewGuid().ToByteArray(),
            "KDZA-2025.xlsx");
        var otherProvider = await api.Client(api.KeyB).PostAsync("/api/returns", Form(Guid.NewGuid().ToByteArray()));

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, portal.StatusCode);
        Assert.NotNull(portal.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, otherProvider.StatusCode);
        Assert.Equal(3, await api.Scenario.Db.ScalarAsync<long>("select count(*) from uploads"));
    }

    [Fact]
    public async Task An_upload_beyond_the_providers_storage_limit_gets_429_until_rejected_bytes_are_pruned()
    {
        await using var api = await ApiHost.StartAsync(("Uploads:MaxStoredBytesPerProvider", "40"));
        var a = api.Client(api.KeyA);

        Assert.Equal(HttpStatusCode.Accepted,
            (await a.PostAsync("/api/returns", new ByteArrayContent(Guid.NewGuid().ToByteArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted,
            (await a.PostAsync("/api/returns", new ByteArrayContent(Guid.NewGuid().ToByteArray()))).StatusCode);
        var full = await a.PostAsync("/api/returns", new ByteArrayContent(Guid.NewGuid().ToByteArray()));
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.NotNull(full.Headers.RetryAfter);

        await api.Scenario.Db.ScalarAsync<int>("""
            with r as (update return_versions set status = 'rejected', decided_at = now() - interval '31 days'
              returning 1) select count(*)::int from r
            """);
        Assert.Equal(2,
            await api.App.Services.GetRequiredService<RejectedUploadPruning>().RunAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Accepted,
            (await a.PostAsync("/api/returns", new ByteArrayContent(Guid.NewGuid().ToByteArray()))).StatusCode);
    }

    [Fact]
    public async Task Pruning_deletes_only_bytes_of_uploads_rejected_beyond_retention_and_feedback_then_answers_410()
    {
        await using var api = await ApiHost.StartAsync(withJobServer: true, ("Uploads:RejectedRetentionDays", "30"));
        var s = api.Scenario;
        var oldRejected = await s.ReceiveAsync("KDZA");
        var newRejected = await s.ReceiveAsync("KDZA");
        var oldAccepted = await s.ReceiveAsync("KDZA");
        await s.Db.ScalarAsync<int>($"""
            with r as (
              update return_versions set status = case when id = {oldAccepted} then 'accepted' else 'rejected' end,
                decided_at = case when id = {newRejected} then now() - interval '29 days'
                  else now() - interval '31 days' end
              returning 1)
            select count(*)::int from r
            """);

        var pruned = await api.App.Services.GetRequiredService<RejectedUploadPruning>()
            .RunAsync(CancellationToken.None);

        Assert.Equal(1, pruned);
        Task<long> Size(long version) => s.Db.ScalarAsync<long>(
            $"""
            select octet_length(u.content)
                   + coalesce((select sum(octet_length(c.bytes)) from upload_chunks c where c.upload_id = u.id), 0)
            from uploads u join return_versions v on v.upload_id = u.id where v.id = {version}
            """);
        Assert.Equal(0, await Size(oldRejected));
        Assert.Equal(16, await Size(newRejected));
        Assert.Equal(16, await Size(oldAccepted));
        // The verdict stays readable; the workbook built from the deleted bytes is gone.
        Assert.Equal(HttpStatusCode.OK,
            (await api.Client(api.KeyA).GetAsync($"/api/returns/{oldRejected}")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone,
            (await api.Client(api.KeyA).GetAsync($"/api/returns/{oldRejected}/feedback")).StatusCode);
        Assert.Contains(api.App.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection().GetRecurringJobs(),
            j => j.Id == RejectedUploadPruning.RecurringJobId);
    }
}
