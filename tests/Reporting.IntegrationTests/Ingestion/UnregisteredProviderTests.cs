using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Ingestion;

/// <summary>
/// A return whose cover names a provider that is not registered is a validation error, never a database error; a
/// database failure in a verb is one neutral line.
/// </summary>
public sealed class UnregisteredProviderTests
{
    [Fact]
    public async Task The_ingest_verb_rejects_an_unregistered_providers_return_at_the_cover_cell_and_exits_2()
    {
        await using var s = await IntakeScenario.CreateAsync();   // registers KDZA and ITVB, not WTIT
        var dir = Directory.CreateTempSubdirectory("unregistered-").FullName;
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == "WTIT"), "2025", 42);
        var path = Path.Combine(dir, "WTIT-2025.xlsx");
        DemoReturnWriter.Write(g, reference.Catalog, path);

        var r = await AppProcess.RunAsync(s.Db, "ingest", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("rejected", r.Out);
        Assert.Contains("Fehler: Deckblatt!B4: Der Dienstleister „WTIT“ ist nicht registriert", r.Out);
        Assert.DoesNotContain("23503", r.Out + r.Err);
        Assert.DoesNotContain("foreign key", r.Out + r.Err);
        Assert.Equal(1, await s.Db.ScalarAsync<int>(
            "select count(*) from return_versions where status = 'rejected' and provider_code is null"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task A_database_failure_in_a_verb_prints_one_neutral_line_without_PostgreSQLs_message()
    {
        await using var s = await IntakeScenario.CreateAsync();
        await using (var cmd = s.Db.DataSource.CreateCommand("alter table providers rename to providers_elsewhere"))
            await cmd.ExecuteNonQueryAsync();

        var r = await AppProcess.RunAsync(s.Db, "providers", "list");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: the database refused the operation (PostgreSQL error 42P01)", r.Err);
        Assert.DoesNotContain("relation", r.Out + r.Err);
        Assert.DoesNotContain("providers_elsewhere", r.Out + r.Err);
    }
}
