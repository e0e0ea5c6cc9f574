using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.IntegrationTests.Ingestion;

/// <summary>
/// A migrated test database with the demo region and two providers, the app's services on it, and parsed returns
/// built from the real reference keys (the workbook reader is tested on its own; here we test storing).
/// </summary>
public sealed class IntakeScenario : IAsyncDisposable
{
    IntakeScenario(TestDatabase db, IHost app, string[] ags, int[] ozgIds)
    {
        Db = db;
        App = app;
        Ags = ags;
        OzgIds = ozgIds;
    }

    public TestDatabase Db { get; }
    public IHost App { get; }
    public string[] Ags { get; }
    public int[] OzgIds { get; }
    /// <summary>Upload storage without Hangfire.</summary>
    public UploadStore Store => App.Services.GetRequiredService<UploadStore>();
    public ReturnIngester Ingester => App.Services.GetRequiredService<ReturnIngester>();

    public static async Task<IntakeScenario> CreateAsync(params (string Key, string Value)[] settings)
    {
        var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var app = TestApp.Build(db, settings: settings);
        var keys = app.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "KDZ Auenland");
        await keys.EnsureAsync("ITVB", "ITV Brückenfeld");
        var ags = new List<string>();
        await using (var cmd = db.DataSource.CreateCommand("select ags from municipalities order by ags"))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) ags.Add(r.GetString(0));
        var ozg = new List<int>();
        await using (var cmd = db.DataSource.CreateCommand("select ozg_id from ozg_services order by ozg_id"))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) ozg.Add(r.GetInt32(0));
        return new IntakeScenario(db, app, [.. ags], [.. ozg]);
    }

    /// <summary>
    /// A valid return: costs for three services, supply for every municipality, OZG lines for the first services.
    /// </summary>
    public ParsedReturn Return(string provider, string period, decimal costFactor = 1m, int workstations = 100,
        int ozgServices = 5)
    {
        var p = new ParsedReturn { Cover = new ReturnCover(provider, provider + " Name", period, "Erika Muster",
            120.5m, null, "2025.1") };
        var row = 5;
        foreach (var (service, type, amount) in new[] { ("ARB", "personal", 100_000m), ("ARB", "hardware", 50_000m),
            ("FIN", "software", 20_000m) })
            p.Costs.Add(new(service, type, amount * costFactor, "Kosten", $"D{row++}"));
        row = 5;
        foreach (var ags in Ags)
            p.Supply.Add(new(ags, "ARB", workstations, workstations + 10, 1234.5m, "Versorgung", row++));
        row = 5;
        foreach (var ags in Ags.Take(3))
            foreach (var id in OzgIds.Take(ozgServices))
                p.Ozg.Add(new(ags, id, 3, id % 2 == 0, new DateOnly(2024, 1, 1), "OZG", row++));
        return p;
    }

    /// <summary>Stores unique bytes as an upload, as the intake does, and returns the new version's id.</summary>
    public async Task<long> ReceiveAsync(string? provider = "KDZA", string name = "return.xlsx")
    {
        var receipt = await Store.StoreAsync(Guid.NewGuid().ToByteArray(), name, provider, "test");
        return receipt.VersionId;
    }

    public async Task<long> FactCountAsync(long versionId) =>
        await Db.ScalarAsync<long>($"""
            select (select count(*) from cost_facts where return_version_id = {versionId})
                 + (select count(*) from supply_facts where return_version_id = {versionId})
                 + (select count(*) from ozg_facts where return_version_id = {versionId})
            """);

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Db.DisposeAsync();
    }
}
