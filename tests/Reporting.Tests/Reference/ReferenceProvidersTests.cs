using System.Text.RegularExpressions;
using Reporting.Ingestion;
using Reporting.Reference;
using Reporting.Tests.Ingestion;

namespace Reporting.Tests.Reference;

public sealed class ReferenceProvidersTests
{
    static Dictionary<string, string> Area(string provider, string district, string code = "") =>
        new() { ["dienstleister"] = provider, ["kreis_schluessel"] = district, [ReferenceProviders.CodeColumn] = code };

    [Theory]
    [InlineData("KRZN Kommunales Rechenzentrum Niederrhein", "KRZN")]
    [InlineData("ITK Rheinland (Zweckverband IT-Kooperation Rheinland)", "ITK-RHEINLAND")]
    [InlineData("Ostwestfalen-Lippe-IT (OWL-IT, ehem. GKD Paderborn)", "OWL-IT")]
    [InlineData("Stadt Köln (eigene städtische IT)", "ST-KOELN")]
    [InlineData("Bundesstadt Bonn (eigene städtische IT)", "ST-BONN")]
    [InlineData("Kreis Unna (Zentrale Datenverarbeitung)", "KR-UNNA")]
    [InlineData("regio iT GmbH", "REGIO")]
    [InlineData("Südwestfalen-IT (ehem. KDVZ Citkomm)", "SUEDWESTFALEN-IT")]
    public void A_code_is_read_from_the_provider_name(string name, string code) =>
        Assert.Equal(code, ReferenceProviders.DeriveCode(name, new HashSet<string>()));

    [Fact]
    public void Names_that_give_the_same_code_are_numbered_in_the_order_of_their_names()
    {
        var providers = ReferenceProviders.FromAreas([
            Area("regio iT GmbH (ehem. INFOKOM Gütersloh AöR)", "05754"),
            Area("regio iT GmbH", "05334"), Area("regio iT GmbH", "05370")]);

        Assert.Equal(["REGIO", "REGIO-2"], providers.Select(p => p.Code));
        Assert.Equal(["05334", "05370"], providers[0].Districts);
    }

    [Fact]
    public void A_code_given_in_the_file_wins_and_is_not_handed_out_again()
    {
        var providers = ReferenceProviders.FromAreas([Area("KDZ Auenland", "05811", "KDZA"), Area("KDZA", "05812")]);

        Assert.Equal(["KDZA", "KDZA-2"], providers.Select(p => p.Code));
    }

    [SharedReferenceFact]
    public void The_real_service_areas_give_31_providers_with_the_codes_the_generator_writes()
    {
        var rows = ReferenceImporter.ReadCsv(
            Path.Combine(RealReferenceGeneratorTests.SharedReference, ReferenceImporter.ProviderAreasFile));

        var providers = ReferenceProviders.FromAreas(rows);
        var again = ReferenceProviders.FromAreas(Enumerable.Reverse(rows));

        Assert.Equal(31, providers.Count);
        Assert.Equal(providers.Select(p => p.Code), again.Select(p => p.Code));   // stable, whatever the row order
        Assert.All(providers, p => Assert.Matches(new Regex("^[A-Z0-9][A-Z0-9_-]{1,19}$"), p.Code));
        Assert.Equal(providers.Count, providers.Select(p => p.Code).Distinct().Count());
        Assert.Contains("KRZN", providers.Select(p => p.Code));
        Assert.Equal(providers.Select(p => p.Code),
            DemoReturnReference.Load(RealReferenceGeneratorTests.SharedReference).Providers.Select(p => p.Code));
    }
}
