using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Ingestion;

/// <summary>
/// ReturnIngester.IngestAsync loads the facts while the workbook is read (small batches here, so every return
/// spans many of them): what reached PostgreSQL before a rejection or a crash must not stay.
/// </summary>
public sealed class StreamingIngestTests
{
    const int SmallBatches = 7;

    static DemoReturnGenerator.Generated Generate(string provider = "KDZA", string period = "2025")
    {
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        return DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == provider), period, 42);
    }

    static async Task<long> UploadAsync(IntakeScenario s, DemoReturnGenerator.Generated g, string? uploader = "KDZA")
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("stream-").FullName, "KDZA-2025.xlsx");
        DemoReturnWriter.Write(g, DemoReturnReference.Load(TestPaths.DemoReference).Catalog, path);
        return (await s.Store.StoreAsync(await File.ReadAllBytesAsync(path), Path.GetFileName(path), uploader,
            "test")).VersionId;
    }

    static async Task<IntakeScenario> ScenarioAsync()
    {
        var s = await IntakeScenario.CreateAsync();
        s.Ingester.StreamBatchRows = SmallBatches;
        return s;
    }

    [Fact]
    public async Task A_workbook_loaded_while_it_is_read_is_accepted_with_every_fact_exactly_once()
    {
        await using var s = await ScenarioAsync();
        var g = Generate();
        Assert.True(g.Ozg.Count > 5 * SmallBatches && g.Supply.Count > SmallBatches);   // many batches of each kind
        var id = await UploadAsync(s, g);

        var outcome = await s.Ingester.IngestAsync(id);

        Assert.Equal("accepted", outcome.Status);
        Assert.Equal(g.Costs.Count,
            await s.Db.ScalarAsync<int>($"select count(*) from cost_facts where return_version_id = {id}"));
        Assert.Equal(g.Supply.Count,
            await s.Db.ScalarAsync<int>($"select count(*) from supply_facts where return_version_id = {id}"));
        Assert.Equal(g.Ozg.Count,
            await s.Db.ScalarAsync<int>($"select count(*) from ozg_facts where return_version_id = {id}"));
        Assert.Equal(g.Ozg.Sum(o => (long)o.Maturity),
            await s.Db.ScalarAsync<long>($"select sum(maturity) from ozg_facts where return_version_id = {id}"));
        var last = g.Ozg[^1];
        Assert.Equal(last.Row,
            await s.Db.ScalarAsync<int>(
                $"select row_number from ozg_facts where return_version_id = {id} and ags = '{last.Ags}' and ozg_id = "
                    + $"{last.OzgId}"));
        Assert.True(await s.Db.ScalarAsync<bool>(
            "select exists (select 1 from provider_districts where provider_code = 'KDZA')"));
    }

    [Fact]
    public async Task An_unknown_municipality_in_the_last_row_rejects_the_return_and_no_fact_streamed_before_it_stays()
    {
        await using var s = await ScenarioAsync();
        var g = Generate();
        var last = g.Ozg[^1];
        g.Ozg.Add(last with { Ags = "05999999", Row = last.Row + 1 });
        var id = await UploadAsync(s, g);

        var outcome = await s.Ingester.IngestAsync(id);

        Assert.Equal("rejected", outcome.Status);
        Assert.Contains(outcome.Messages, m => m.Rule == "Domaene.AGS" && m.Value == "05999999");
        Assert.Equal(0, await s.FactCountAsync(id));
        Assert.Equal(outcome.Messages.Count, (await s.Ingester.OutcomeAsync(id)).Messages.Count);
    }

    [Fact]
    public async Task A_duplicate_row_at_the_end_is_rejected_by_the_rule_not_by_the_database_and_loads_no_facts()
    {
        await using var s = await ScenarioAsync();
        var g = Generate();
        var first = g.Ozg[0];
        g.Ozg.Add(first with { Row = g.Ozg[^1].Row
            + 1 });   // found only once the whole sheet is read; the database sees both rows
        var id = await UploadAsync(s, g);

        var outcome = await s.Ingester.IngestAsync(id);

        Assert.Equal("rejected", outcome.Status);
        var duplicate = Assert.Single(outcome.Messages, m => m.Rule == "Quer.Doppelt");
        Assert.Contains($"Zeilen {first.Row} und {g.Ozg[^1].Row}", duplicate.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Messages, m => m.Rule == "L8-Datenbank");
        Assert.Equal(0, await s.FactCountAsync(id));
    }

    [Fact]
    public async Task A_return_the_uploader_may_not_send_is_rejected_after_reading_and_its_streamed_facts_rolled_back()
    {
        await using var s = await ScenarioAsync();
        var id = await UploadAsync(s, Generate(), uploader: "ITVB");   // the file reports for KDZA

        var outcome = await s.Ingester.IngestAsync(id);

        Assert.Equal("rejected", outcome.Status);
        Assert.Contains(outcome.Messages, m => m.Rule == "Domaene.Dienstleister");
        Assert.Equal(0, await s.FactCountAsync(id));
        Assert.Equal(0,
            await s.Db.ScalarAsync<int>("select count(*) from provider_districts where provider_code = 'ITVB'"));
    }

    [Fact]
    public async Task A_crash_after_streaming_leaves_nothing_and_the_retry_stores_each_fact_once()
    {
        await using var s = await ScenarioAsync();
        var g = Generate();
        var id = await UploadAsync(s, g);
        long inBeforeCrash = 0;
        s.Ingester.AfterFactsLoaded = async conn =>
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                $"select count(*) from ozg_facts where return_version_id = {id}", conn);
            inBeforeCrash = (long)(await cmd.ExecuteScalarAsync())!;
            throw new IOException("worker died");
        };

        await Assert.ThrowsAsync<IOException>(() => s.Ingester.IngestAsync(id));
        Assert.Equal(g.Ozg.Count, inBeforeCrash);
        Assert.Equal(0, await s.FactCountAsync(id));
        Assert.Equal("received", await s.Db.ScalarAsync<string>($"select status from return_versions where id = {id}"));

        s.Ingester.AfterFactsLoaded = null;
        var retry = await s.Ingester.IngestAsync(id);
        var again = await s.Ingester.IngestAsync(id);

        Assert.Equal("accepted", retry.Status);
        Assert.True(again.AlreadyDecided);
        Assert.Equal(g.Costs.Count + g.Supply.Count + g.Ozg.Count, await s.FactCountAsync(id));
    }
}
