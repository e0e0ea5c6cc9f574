using System.Globalization;
using System.Text.Json;
using CsvHelper;

namespace Reporting.Reference;

/// <summary>
/// The demo region (data/reference/demoland.json), written out in the official file format so that the demo
/// and the tests import it through <see cref="ReferenceImporter"/> exactly like the real NRW files.
/// </summary>
public static class DemoReference
{
    public const string FileName = "demoland.json";

    public sealed record Region(string Key, string Name);
    public sealed record Municipality(string Ags, string Name, string Kind, int Population, double AreaKm2,
        string Postcode, double Longitude, double Latitude);
    public sealed record District(string Key, string Name, string Kind, List<Municipality> Municipalities);
    public sealed record OzgService(int Id, string Name, string LifeSituation, string Topic, List<string> LeikaTypes);
    /// <param name="Code">The provider code the demo uses (the official file has no such column).</param>
    public sealed record ProviderArea(string Provider, string Seat, string DistrictKey, string Coverage,
        string Evidence, string Code = "");
    public sealed record Definition(DateOnly PopulationAsOf, Region Region, List<District> Districts,
        List<OzgService> OzgServices, List<ProviderArea> ProviderAreas);

    public static Definition Load(string referenceDir)
    {
        using var s = File.OpenRead(Path.Combine(referenceDir, FileName));
        return JsonSerializer.Deserialize<Definition>(s, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{FileName} is empty");
    }

    /// <summary>True when the folder holds the demo definition rather than official files.</summary>
    public static bool IsDemoFolder(string dir) =>
        File.Exists(Path.Combine(dir, FileName))
            && !File.Exists(Path.Combine(dir, ReferenceImporter.MunicipalitiesFile));

    /// <summary>
    /// Writes nrw_gemeinden.csv, ozg_leistungen.csv, ozg_leika_leistungen.csv and the service areas into <paramref
    /// name="dir"/>.
    /// </summary>
    public static void WriteOfficialFiles(Definition d, string dir)
    {
        Directory.CreateDirectory(dir);
        Write(Path.Combine(dir, ReferenceImporter.MunicipalitiesFile),
            ["ags", "ars", "gemeinde_name", "gemeinde_typ", "kreis_schluessel", "kreis_name", "kreis_typ",
                "regierungsbezirk_schluessel",
             "regierungsbezirk_name", "einwohner", "flaeche_km2", "plz_verwaltungssitz", "laengengrad", "breitengrad"],
            d.Districts.SelectMany(k => k.Municipalities.Select(m => new object[]
            {
                m.Ags, k.Key + "0000" + m.Ags[5..], m.Name, m.Kind, k.Key, k.Name, k.Kind, d.Region.Key, d.Region.Name,
                m.Population, m.AreaKm2, m.Postcode, m.Longitude, m.Latitude,
            })));
        Write(Path.Combine(dir, ReferenceImporter.OzgFile),
            ["ozg_id", "ozg_leistung", "lebens_unternehmenslage", "themenfeld", "anzahl_leika_leistungen"],
            d.OzgServices.Select(o => new object[] { o.Id, o.Name, o.LifeSituation, o.Topic, o.LeikaTypes.Count }));
        Write(Path.Combine(dir, ReferenceImporter.LeikaFile),
            ["leika_schluessel", "leistung", "ozg_id", "ozg_leistung", "leika_typ", "sdg1", "sdg2",
                "rechtsgrundlage_kurz"],
            d.OzgServices.SelectMany(o => o.LeikaTypes.Select((t, i) => new object[]
                { $"99{o.Id:D5}{i + 1:D3}0000", $"{o.Name} ({i + 1})", o.Id, o.Name, t, 0, 0, "" })));
        Write(Path.Combine(dir, ReferenceImporter.ProviderAreasFile),
            ["dienstleister", "sitz", "kreis_schluessel", "kreis_name", "abdeckung", "stand", "belegt", "quelle",
             "hinweis", ReferenceProviders.CodeColumn],
            d.ProviderAreas.Select(a => new object[]
            {
                a.Provider, a.Seat, a.DistrictKey, d.Districts.First(k => k.Key == a.DistrictKey).Name, a.Coverage,
                "Demo", a.Evidence, "Demodaten, frei erfunden", "", a.Code,
            }));
    }

    static void Write(string path, string[] header, IEnumerable<object[]> rows)
    {
        using var writer = new StreamWriter(path);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var h in header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var row in rows)
        {
            foreach (var v in row) csv.WriteField(Convert.ToString(v, CultureInfo.InvariantCulture));
            csv.NextRecord();
        }
    }
}
