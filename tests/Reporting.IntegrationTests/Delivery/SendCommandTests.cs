using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Delivery;

public sealed class SendCommandTests
{
    [Fact]
    public async Task Send_by_hand_finds_the_demo_regions_subscription_although_only_the_demo_syncs_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var import = await AppProcess.RunAsync(db, "reference", "import", "data/reference");
        Assert.Equal(0, import.ExitCode);

        var r = await AppProcess.RunAsync(db, "send", "--subscription", "kreis-lindenau-neue-daten");

        // No snapshot yet, so nothing goes out; but the file in data/demo/jobs was found and its district known.
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("kreis-lindenau-neue-daten: nothing sent", r.Out);
        Assert.DoesNotContain("no usable file", r.Err);
    }
}
