using System.Globalization;
using Reporting.Reference;

namespace Reporting.Ingestion;

/// <summary>
/// What the demo-return generator needs to know about a territory: the catalogue (keys the returns may use),
/// the providers with their municipalities, and populations (to size the figures). Read from the demo region
/// (demoland.json) or from the real reference CSV files, without a database.
/// </summary>
public sealed record DemoReturnReference(ReferenceCatalog Catalog,
    IReadOnlyList<DemoReturnReference.Provider> Providers, IReadOnlyDictionary<string, int> Population)
{
    public sealed record Provider(string Code, string Name, IReadOnlyList<string> Districts,
        IReadOnlyList<string> Municipalities);

    public static DemoReturnReference Load(string dir) =>
        DemoReference.IsDemoFolder(dir) ? FromDemo(DemoReference.Load(dir)) : FromCsv(dir);

    public static DemoReturnReference FromDemo(DemoReference.Definition d)
    {
        var municipalities = d.Districts.SelectMany(k => k.Municipalities.Select(m => (k.Key, m))).ToList();
        var areas = d.ProviderAreas.Select(a => new Dictionary<string, string>
        {
            ["dienstleister"] = a.Provider, ["kreis_schluessel"] = a.DistrictKey,
            [ReferenceProviders.CodeColumn] = a.Code,
        });
        var providers = ReferenceProviders.FromAreas(areas).Select(p => new Provider(p.Code, p.Name, p.Districts,
            municipalities.Where(x => p.Districts.Contains(x.Key)).Select(x => x.m.Ags).ToList())).ToList();
        var catalog = new ReferenceCatalog(
            municipalities.Select(x => KeyValuePair.Create(x.m.Ags, x.m.Name)),
            d.OzgServices.Select(o => KeyValuePair.Create(o.Id, o.Name)),
            ReferenceCatalog.StandardServices, ReferenceCatalog.StandardCostTypes,
            providers.Select(p => KeyValuePair.Create(p.Code, p.Name)), []);
        return new DemoReturnReference(catalog, providers,
            municipalities.ToDictionary(x => x.m.Ags, x => x.m.Population));
    }

    /// <summary>
    /// The real NRW files: providers from the published service areas (codes from <see cref="ReferenceProviders"/>),
    /// every district that no provider is published for goes to a provider of the same Regierungsbezirk.
    /// </summary>
    public static DemoReturnReference FromCsv(string dir)
    {
        var gemeinden = ReferenceImporter.ReadCsv(Path.Combine(dir, ReferenceImporter.MunicipalitiesFile));
        var ozg = ReferenceImporter.ReadCsv(Path.Combine(dir, ReferenceImporter.OzgFile));
        var areas = ReferenceImporter.ReadCsv(Path.Combine(dir, ReferenceImporter.ProviderAreasFile));

        var providers = ReferenceProviders.FromAreas(areas)
            .Select(p => (p.Code, p.Name, Districts: p.Districts.ToList())).ToList();
        var covered = providers.SelectMany(p => p.Districts).ToHashSet();
        foreach (var district in gemeinden.Select(g => g["kreis_schluessel"]).Distinct().Where(k
            => !covered.Contains(k)).Order(StringComparer.Ordinal))
        {
            var owner = providers.FirstOrDefault(p => p.Districts.Any(k => k[..3] == district[..3])).Code
                ?? providers[0].Code;
            providers.First(p => p.Code == owner).Districts.Add(district);
        }
        var result = providers.Select(p => new Provider(p.Code, p.Name, p.Districts,
            gemeinden.Where(g => p.Districts.Contains(g["kreis_schluessel"])).Select(g => g["ags"]).ToList())).ToList();
        var catalog = new ReferenceCatalog(
            gemeinden.Select(g => KeyValuePair.Create(g["ags"], g["gemeinde_name"])),
            ozg.Select(o
                => KeyValuePair.Create(int.Parse(o["ozg_id"], CultureInfo.InvariantCulture), o["ozg_leistung"])),
            ReferenceCatalog.StandardServices, ReferenceCatalog.StandardCostTypes,
            result.Select(p => KeyValuePair.Create(p.Code, p.Name)), []);
        return new DemoReturnReference(catalog, result,
            gemeinden.ToDictionary(g => g["ags"], g => int.Parse(g["einwohner"], CultureInfo.InvariantCulture)));
    }
}
