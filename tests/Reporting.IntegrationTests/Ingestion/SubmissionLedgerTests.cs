using Reporting.Ingestion;

namespace Reporting.IntegrationTests.Ingestion;

public sealed class SubmissionLedgerTests
{
    [Fact]
    public async Task The_ledger_shows_each_provider_per_period_with_its_state_and_whether_it_is_late()
    {
        await using var s = await IntakeScenario.CreateAsync();
        await s.App.Services.GetRequiredService<Reporting.Access.ProviderKeys>().EnsureAsync("WTIT", "Wiesental-IT");
        // 2020's deadline (31 March 2021) has passed: KDZA delivered (late, as acceptance is now), ITVB only a rejected
        // file, WTIT nothing.
        await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", "2020"));
        await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", "2020", costFactor: 1.05m));
        var rejected = s.Return("ITVB", "2020");
        rejected.Messages.Add(new(Severity.Error, "Kosten", "D5", "", "L3", "Pflichtfeld fehlt."));
        await s.Ingester.StoreAsync(await s.ReceiveAsync("ITVB"), rejected);

        var rows = (await s.App.Services.GetRequiredService<SubmissionLedger>().ListAsync("2020")).ToDictionary(r
            => r.ProviderCode);

        Assert.Equal(3, rows.Count);
        Assert.Equal(("accepted", 2, 0, 1, 1, true), (rows["KDZA"].State, rows["KDZA"].Received, rows["KDZA"].Rejected,
            rows["KDZA"].Accepted, rows["KDZA"].Superseded, rows["KDZA"].Late));
        Assert.NotNull(rows["KDZA"].CurrentVersionId);
        Assert.Equal(("rejected", 1, 1, 0, true), (rows["ITVB"].State, rows["ITVB"].Received, rows["ITVB"].Rejected,
            rows["ITVB"].Accepted, rows["ITVB"].Late));
        Assert.Equal(("missing", 0, true), (rows["WTIT"].State, rows["WTIT"].Received, rows["WTIT"].Late));
        Assert.Equal(new DateOnly(2021, 3, 31), rows["WTIT"].Deadline);
    }

    [Fact]
    public async Task A_return_accepted_before_the_deadline_is_not_late()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var period = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await s.Ingester.StoreAsync(await s.ReceiveAsync(), s.Return("KDZA", period));

        var rows = await s.App.Services.GetRequiredService<SubmissionLedger>().ListAsync(period);

        Assert.Equal(("accepted", false),
            (rows.Single(r => r.ProviderCode == "KDZA").State, rows.Single(r => r.ProviderCode == "KDZA").Late));
        Assert.Equal(("missing", false),
            (rows.Single(r => r.ProviderCode == "ITVB").State, rows.Single(r => r.ProviderCode == "ITVB").Late));
    }
}
