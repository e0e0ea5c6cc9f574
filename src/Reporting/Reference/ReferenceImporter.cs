using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Reporting.Reference;

/// <summary>
/// Loads reference files laid out like ../shared/reference (see its README for names and columns) into the
/// database. Idempotent: every table is upserted, so running it twice gives the same rows, and a changed
/// population replaces the current figure and is kept in population_history under its date. The service areas'
/// providers are registered (<see cref="ReferenceProviders"/>; not the demo region's, the demo registers those);
/// existing providers keep their names and keys.
/// </summary>
public sealed partial class ReferenceImporter(NpgsqlDataSource db, ILogger<ReferenceImporter> logger)
{
    public sealed record Summary(int Regions, int Districts, int Municipalities, long Population, int OzgServices,
        int OzgTopics, int LeikaServices, int ProviderAreas, int KpiReferenceValues, int Providers = 0,
        int DistrictBoundaries = 0, int SkippedRows = 0);

    public const string MunicipalitiesFile = "nrw_gemeinden.csv";
    public const string OzgFile = "ozg_leistungen.csv";
    public const string LeikaFile = "ozg_leika_leistungen.csv";
    public const string ProviderAreasFile = "nrw_it_dienstleister_versorgungsgebiete.csv";
    public const string KpiReferenceFile = "kpi_referenzwerte.csv";

    /// <param name="populationAsOf">Reference date of the population figures (the shared files: 31.12.2019).</param>
    public Task<Summary> ImportAsync(string dir, DateOnly populationAsOf, CancellationToken ct = default) =>
        ImportAsync(dir, populationAsOf, registerProviders: true, ct);

    /// <param name="registerProviders">False for the demo region: the demo registers its own, with contacts.</param>
    async Task<Summary> ImportAsync(string dir, DateOnly populationAsOf, bool registerProviders, CancellationToken ct)
    {
        if (DemoReference.IsDemoFolder(dir))
        {
            // The repo's demo region: written out in the official format, then imported like any other folder.
            var demo = DemoReference.Load(dir);
            var tmp = Directory.CreateTempSubdirectory("reporting-reference-").FullName;
            try
            {
                DemoReference.WriteOfficialFiles(demo, tmp);
                if (File.Exists(Path.Combine(dir, DemoBoundaries.FileName)))
                    File.Copy(Path.Combine(dir, DemoBoundaries.FileName),
                        Path.Combine(tmp, DistrictBoundaries.FileName));
                return await ImportAsync(tmp, demo.PopulationAsOf, registerProviders: false, ct);
            }
            finally { Directory.Delete(tmp, recursive: true); }
        }
        var municipalitiesPath = Path.Combine(dir, MunicipalitiesFile);
        if (!File.Exists(municipalitiesPath))
            throw new FileNotFoundException(
                $"{dir} holds no {MunicipalitiesFile}; a reference folder is laid out like ../shared/reference.",
                    municipalitiesPath);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var skipped = new List<string>();

        await FromFileAsync(MunicipalitiesFile, ()
            => ImportTerritoryAsync(conn, ReadCsv(municipalitiesPath, skipped), populationAsOf, ct));
        if (File.Exists(Path.Combine(dir, OzgFile)))
            await FromFileAsync(OzgFile, () => ImportOzgAsync(conn, dir, skipped, ct));
        if (File.Exists(Path.Combine(dir, ProviderAreasFile)))
            await FromFileAsync(ProviderAreasFile, async () =>
            {
                var areas = ReadCsv(Path.Combine(dir, ProviderAreasFile), skipped);
                await ImportProviderAreasAsync(conn, areas, ct);
                if (registerProviders) await RegisterProvidersAsync(conn, areas, ct);
            });
        if (File.Exists(Path.Combine(dir, KpiReferenceFile)))
            await FromFileAsync(KpiReferenceFile,
                () => ImportKpiReferenceAsync(conn, ReadCsv(Path.Combine(dir, KpiReferenceFile), skipped), ct));
        await ImportBoundariesAsync(conn, Path.Combine(dir, DistrictBoundaries.FileName), ct);

        await tx.CommitAsync(ct);
        // Named one by one (file, line, column): the operator fixes them in the file and imports again.
        foreach (var row in skipped) logger.LogWarning("Reference row not imported: {Row}", row);
        var summary = await SummariseAsync(conn, ct) with { SkippedRows = skipped.Count };
        logger.LogInformation("Reference data imported from {Dir}: {Summary}", dir, summary);
        return summary;
    }

    static async Task ImportTerritoryAsync(NpgsqlConnection conn, List<Dictionary<string, string>> rows, DateOnly asOf,
        CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn);
        foreach (var region in rows.DistinctBy(r => r["regierungsbezirk_schluessel"]))
            batch.BatchCommands.Add(Command("""
                insert into regions (key, name) values ($1, $2)
                on conflict (key) do update set name = excluded.name
                """, region["regierungsbezirk_schluessel"], region["regierungsbezirk_name"]));
        foreach (var d in rows.DistinctBy(r => r["kreis_schluessel"]))
            batch.BatchCommands.Add(Command("""
                insert into districts (key, name, kind, region_key) values ($1, $2, $3, $4)
                on conflict (key) do update
                  set name = excluded.name, kind = excluded.kind, region_key = excluded.region_key
                """, d["kreis_schluessel"], d["kreis_name"], d["kreis_typ"], d["regierungsbezirk_schluessel"]));
        foreach (var m in rows)
        {
            var population = int.Parse(m["einwohner"], CultureInfo.InvariantCulture);
            batch.BatchCommands.Add(Command("""
                insert into municipalities (ags, ars, name, kind, district_key, population, population_as_of, area_km2,
                  longitude, latitude)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                on conflict (ags) do update set ars = excluded.ars, name = excluded.name, kind = excluded.kind,
                  district_key = excluded.district_key, area_km2 = excluded.area_km2,
                  longitude = excluded.longitude, latitude = excluded.latitude,
                  population = case when excluded.population_as_of >= municipalities.population_as_of
                                 then excluded.population else municipalities.population end,
                  population_as_of = greatest(excluded.population_as_of, municipalities.population_as_of)
                """, m["ags"], m["ars"], m["gemeinde_name"], m["gemeinde_typ"], m["kreis_schluessel"], population, asOf,
                Decimal(m, "flaeche_km2"), Double(m, "laengengrad"), Double(m, "breitengrad")));
            batch.BatchCommands.Add(Command("""
                insert into population_history (ags, as_of, population) values ($1, $2, $3)
                on conflict (ags, as_of) do update set population = excluded.population
                """, m["ags"], asOf, population));
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    static async Task ImportOzgAsync(NpgsqlConnection conn, string dir, List<string> skipped, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn);
        foreach (var o in ReadCsv(Path.Combine(dir, OzgFile), skipped))
            batch.BatchCommands.Add(Command("""
                insert into ozg_services (ozg_id, name, life_situation, topic) values ($1, $2, $3, $4)
                on conflict (ozg_id) do update
                  set name = excluded.name, life_situation = excluded.life_situation, topic = excluded.topic
                """, int.Parse(o["ozg_id"], CultureInfo.InvariantCulture), o["ozg_leistung"],
                o["lebens_unternehmenslage"], o["themenfeld"]));

        var leikaPath = Path.Combine(dir, LeikaFile);
        if (File.Exists(leikaPath))
        {
            foreach (var l in ReadCsv(leikaPath, skipped).DistinctBy(l => (l["leika_schluessel"], l["leistung"])))
            {
                int? ozgId = int.TryParse(l["ozg_id"], CultureInfo.InvariantCulture, out var id) ? id : null;
                batch.BatchCommands.Add(Command("""
                    insert into leika_services (leika_key, name, ozg_id, leika_type) values ($1, $2, $3, $4)
                    on conflict (leika_key, name) do update
                      set ozg_id = excluded.ozg_id, leika_type = excluded.leika_type
                    """, l["leika_schluessel"], l["leistung"], ozgId, l["leika_typ"]));
            }
        }
        await batch.ExecuteNonQueryAsync(ct);

        // Municipal relevance follows the LeiKa types: 2/3, 4 or 5 (alone or in a combination) means
        // municipalities execute it; a service with only type 1 entries is executed by the federation.
        await using var relevance = new NpgsqlCommand("""
            update ozg_services o set municipal = exists (
              select 1 from leika_services l
              where l.ozg_id = o.ozg_id and l.leika_type ~ '(^|[ ,])(2/3|2|3|4|5)($|[ ,])')
            """, conn);
        await relevance.ExecuteNonQueryAsync(ct);
    }

    static async Task ImportProviderAreasAsync(NpgsqlConnection conn, List<Dictionary<string, string>> rows,
        CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn);
        foreach (var a in rows.Where(r => r["kreis_schluessel"].Length == 5))
            batch.BatchCommands.Add(Command("""
                insert into reference_provider_areas (provider_name, district_key, coverage, evidence, source)
                select $1, $2, $3, $4, $5 where exists (select 1 from districts where key = $2)
                on conflict (provider_name, district_key) do update
                  set coverage = excluded.coverage, evidence = excluded.evidence, source = excluded.source
                """, a["dienstleister"], a["kreis_schluessel"], a["abdeckung"], a["belegt"], a["quelle"]));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The service areas' providers become registered providers (code, name) with the districts published for them.
    /// A provider that exists already keeps its name, contact and key: only missing providers and districts are added.
    /// </summary>
    static async Task RegisterProvidersAsync(NpgsqlConnection conn, List<Dictionary<string, string>> rows,
        CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn);
        foreach (var p in ReferenceProviders.FromAreas(rows))
        {
            batch.BatchCommands.Add(Command("""
                insert into providers (code, name) values ($1, $2) on conflict (code) do nothing
                """, p.Code, p.Name));
            foreach (var district in p.Districts)
                batch.BatchCommands.Add(Command("""
                    insert into provider_districts (provider_code, district_key, evidence)
                    select $1, $2, $3 where exists (select 1 from districts where key = $2)
                    on conflict (provider_code, district_key) do nothing
                    """, p.Code, district, "Versorgungsgebiet (Referenz)"));
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    static async Task ImportKpiReferenceAsync(NpgsqlConnection conn, List<Dictionary<string, string>> rows,
        CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn);
        foreach (var k in rows)
            batch.BatchCommands.Add(Command("""
                insert into kpi_reference_values (name, formula, value_text, value, unit, scope, year, value_kind,
                  source)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                on conflict (name) do update
                  set formula = excluded.formula, value_text = excluded.value_text, value = excluded.value,
                  unit = excluded.unit, scope = excluded.scope, year = excluded.year,
                  value_kind = excluded.value_kind, source = excluded.source
                """, k["kennzahl"], k["formel"], k["wert"], LeadingNumber(k["wert"]), k["einheit"], k["bezug"],
                k["jahr"], k["wertart"], k["quelle"]));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The maps' district boundaries. They are optional: a missing or broken file is one warning line and the rest
    /// of the import goes on (the maps then fall back to municipality points).
    /// </summary>
    async Task ImportBoundariesAsync(NpgsqlConnection conn, string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            logger.LogWarning("{File} not found: district boundaries not imported, maps show points only",
                Path.GetFileName(path));
            return;
        }
        DistrictBoundaries.Collection boundaries;
        try { boundaries = DistrictBoundaries.Read(path); }
        catch (InvalidDataException e)
        {
            logger.LogWarning("{Problem}; district boundaries not imported, the rest of the import goes on",
                e.Message);
            return;
        }
        var batch = new NpgsqlBatch(conn);
        foreach (var f in boundaries.Features)
            batch.BatchCommands.Add(Command("""
                insert into district_boundaries (district_key, geometry, attribution) values ($1, $2::jsonb, $3)
                on conflict (district_key) do update
                  set geometry = excluded.geometry, attribution = excluded.attribution, imported_at = now()
                """, f.DistrictKey, f.GeometryJson, boundaries.Attribution));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    static async Task<Summary> SummariseAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select (select count(*) from regions), (select count(*) from districts), (select count(*)
              from municipalities),
                   (select coalesce(sum(population), 0) from municipalities), (select count(*) from ozg_services),
                   (select count(distinct topic) from ozg_services), (select count(*) from leika_services),
                   (select count(*) from reference_provider_areas), (select count(*) from kpi_reference_values),
                   (select count(*) from providers), (select count(*) from district_boundaries)
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new Summary((int)r.GetInt64(0), (int)r.GetInt64(1), (int)r.GetInt64(2), r.GetInt64(3),
            (int)r.GetInt64(4),
            (int)r.GetInt64(5), (int)r.GetInt64(6), (int)r.GetInt64(7), (int)r.GetInt64(8), (int)r.GetInt64(9),
            (int)r.GetInt64(10));
    }

    static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
        return c;
    }

    /// <summary>A file that lacks a column the import reads is named; the transaction is not committed.</summary>
    static async Task FromFileAsync(string file, Func<Task> import)
    {
        try
        {
            await import();
        }
        catch (KeyNotFoundException e)
        {
            throw new InvalidDataException($"{file}: a column is missing ({e.Message}); nothing was imported", e);
        }
    }

    /// <summary>
    /// A reference CSV file as rows of column name to value (UTF-8, comma, header row, values trimmed). A row with a
    /// value that is not plain text (<see cref="NameText"/>: a line break inside quotes, another control character)
    /// is left out and described in <paramref name="skipped"/> by file, line and column: the other rows are
    /// imported, so one bad name does not hold back a whole reference update.
    /// </summary>
    internal static List<Dictionary<string, string>> ReadCsv(string path, ICollection<string>? skipped = null)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader,
            new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        try
        {
            var line = csv.Parser.RawRow + 1;   // where the next row starts (a quoted value may span lines)
            while (csv.Read())
            {
                var row = header.Select((h, i) => (h, v: csv.GetField(i) ?? "")).ToDictionary(x => x.h, x => x.v);
                if (row.FirstOrDefault(f => !NameText.IsPlain(f.Value)) is { Key: not null } bad)
                    skipped?.Add($"{Path.GetFileName(path)}, line {line}, column {bad.Key}: the value "
                        + $"{NameText.Problem(bad.Value)}; row skipped");
                else rows.Add(row);
                line = csv.Parser.RawRow + 1;
            }
        }
        catch (CsvHelperException e)
        {
            // CsvHelper's own message is a page of parser state; the operator needs the file and the line.
            throw new InvalidDataException(
                $"{Path.GetFileName(path)}, line {e.Context?.Parser?.RawRow ?? 0}: not a valid CSV row " +
                "(unbalanced quotes, a wrong delimiter or missing fields); nothing was imported", e);
        }
        return rows;
    }

    static decimal? Decimal(Dictionary<string, string> row, string key) =>
        decimal.TryParse(row.GetValueOrDefault(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : null;

    static double? Double(Dictionary<string, string> row, string key) =>
        double.TryParse(row.GetValueOrDefault(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : null;

    static decimal? LeadingNumber(string text)
    {
        var m = LeadingNumberPattern().Match(text);
        return m.Success && decimal.TryParse(m.Value.Replace(',', '.'), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    [GeneratedRegex(@"\d+(?:[.,]\d+)?")]
    private static partial Regex LeadingNumberPattern();
}
