using System.Diagnostics;
using Reporting.IntegrationTests.Ingestion;
using Xunit.Abstractions;

namespace Reporting.IntegrationTests.Reliability;

/// <summary>
/// One database with the demo region, providers KDZA and ITVB, and a closed period 2023, for the corpus.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public IntakeScenario Scenario { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Scenario = await IntakeScenario.CreateAsync();
        await using var cmd = Scenario.Db.DataSource.CreateCommand("""
            insert into periods (period, starts_on, ends_on, deadline, closed)
              values ('2023', '2023-01-01', '2023-12-31', '2024-06-30', true)
            on conflict (period) do update set closed = true
            """);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await Scenario.DisposeAsync();
}

/// <summary>
/// Every kind of bad input through the real intake (UploadStore, then ReturnIngester against PostgreSQL).
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture, ITestOutputHelper output) : IClassFixture<BadInputFixture>
{
    public static TheoryData<string> Kinds => new(BadInputCorpus.All.Select(c => c.Kind));

    [Fact]
    public void The_corpus_has_at_least_thirty_kinds_of_bad_input() =>
        Assert.True(BadInputCorpus.All.Count(c => c.Kind != "valid return") >= 30, $"{BadInputCorpus.All.Count} kinds");

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_input_gets_a_clear_verdict_and_a_rejected_one_leaves_no_facts(string kind)
    {
        var input = BadInputCorpus.Get(kind);
        var s = fixture.Scenario;
        var bytes = input.Build();
        using var self = Process.GetCurrentProcess();
        var peakBefore = self.PeakWorkingSet64;

        var receipt = await s.Store.StoreAsync(bytes, input.FileName, "KDZA", "corpus");
        var outcome = await s.Ingester.IngestAsync(receipt.VersionId);

        self.Refresh();
        var peakGrowth = self.PeakWorkingSet64 - peakBefore;
        output.WriteLine(
            $"{kind}: {bytes.Length:N0} bytes -> {outcome.Status}, peak working set +{peakGrowth / (1024 * 1024)} MB");
        foreach (var m in outcome.Messages.Take(5)) output.WriteLine($"  {m}");

        // Bounded memory even for the million-row sheet (generous: the whole test process, parallel tests included).
        Assert.True(peakGrowth < 768L * 1024 * 1024, $"peak working set grew by {peakGrowth / (1024 * 1024)} MB");
        Assert.False(receipt.Recognised, "each input must be new bytes");
        var facts = await s.FactCountAsync(receipt.VersionId);
        var dump = string.Join("\n", outcome.Messages.Select(m => m.ToString()));
        if (input.Expected.Accepted)
        {
            Assert.True(outcome.Status == "accepted", $"expected acceptance, got {outcome.Status}:\n{dump}");
            Assert.True(facts > 0);
            if (input.Expected.Rule is { } warning)
                Assert.Contains(outcome.Messages, m => m.Rule == warning && m.Sheet == input.Expected.Sheet
                    && (input.Expected.Cell is null || m.Cell == input.Expected.Cell));
            if (input.Check is { } check) await check(s.Db, receipt.VersionId);
            return;
        }

        Assert.True(outcome.Status == "rejected",
            $"expected rejection by {input.Expected.Rule}, got {outcome.Status}:\n{dump}");
        Assert.Equal(0, facts);
        var named = outcome.Messages.Where(m => m.Rule == input.Expected.Rule).ToList();
        Assert.True(named.Count > 0, $"expected a message of rule {input.Expected.Rule}, got:\n{dump}");
        if (input.Expected.Sheet is { } sheet) Assert.Contains(named, m => m.Sheet == sheet);
        if (input.Expected.Cell is { } cell) Assert.Contains(named, m => m.Sheet == input.Expected.Sheet
            && m.Cell == cell);
        Assert.All(outcome.Messages, m => Assert.False(string.IsNullOrWhiteSpace(m.Text)));
        Assert.All(outcome.Messages, m => Assert.DoesNotContain("Exception", m.Text, StringComparison.Ordinal));
        Assert.Equal("rejected",
            await s.Db.ScalarAsync<string>($"select status from return_versions where id = {receipt.VersionId}"));
    }
}
