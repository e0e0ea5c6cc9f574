using Npgsql;

namespace Reporting.Reference;

/// <summary>
/// The reference keys a return is checked against (municipalities, OZG ids, services, providers, periods).
/// </summary>
public sealed class ReferenceCatalog
{
    public sealed record CostType(string Code, string Name, int Sort);

    /// <summary>AGS -> municipality name.</summary>
    public IReadOnlyDictionary<string, string> Municipalities { get; }
    /// <summary>OZG id -> OZG service name.</summary>
    public IReadOnlyDictionary<int, string> OzgServices { get; }
    /// <summary>Service (cost object) code -> name, in catalogue order.</summary>
    public IReadOnlyDictionary<string, string> Services { get; }
    /// <summary>The cost types in their sort order (the columns of sheet "Kosten").</summary>
    public IReadOnlyList<CostType> CostTypes { get; }
    /// <summary>Provider code -> name.</summary>
    public IReadOnlyDictionary<string, string> Providers { get; }
    /// <summary>Period ('2025', '2025-Q1') -> closed.</summary>
    public IReadOnlyDictionary<string, bool> Periods { get; }

    public ReferenceCatalog(
        IEnumerable<KeyValuePair<string, string>> municipalities,
        IEnumerable<KeyValuePair<int, string>> ozgServices,
        IEnumerable<KeyValuePair<string, string>> services,
        IEnumerable<CostType> costTypes,
        IEnumerable<KeyValuePair<string, string>> providers,
        IEnumerable<KeyValuePair<string, bool>> periods)
    {
        Municipalities = new Dictionary<string, string>(municipalities, StringComparer.Ordinal);
        OzgServices = new Dictionary<int, string>(ozgServices);
        // Insertion order of Dictionary is kept as long as nothing is removed: the template lists services in it.
        Services = new Dictionary<string, string>(services, StringComparer.OrdinalIgnoreCase);
        CostTypes = costTypes.OrderBy(c => c.Sort).ToList();
        Providers = new Dictionary<string, string>(providers, StringComparer.Ordinal);
        Periods = new Dictionary<string, bool>(periods, StringComparer.Ordinal);
    }

    /// <summary>The cost types and services that migration 001 inserts, for catalogues built in memory.</summary>
    public static readonly CostType[] StandardCostTypes =
    [
        new("personal", "Personal", 1), new("hardware", "Hardware", 2), new("software", "Software und Lizenzen", 3),
        new("extern", "Externe Dienstleistungen", 4), new("sonstige", "Sonstiges", 5),
    ];

    public static readonly KeyValuePair<string, string>[] StandardServices =
    [
        new("ARB", "Arbeitsplatz-IT (Clients, Drucker)"), new("RZB", "Rechenzentrumsbetrieb und Hosting"),
        new("NET", "Netze und Kommunikation"), new("TEL", "Telefonie"), new("MAI", "E-Mail und Kollaboration"),
        new("SEC", "Informationssicherheit"), new("SUP", "Service Desk und Support"), new("SCH", "Schul-IT"),
        new("FIN", "Finanzwesen und Haushalt"), new("KAS", "Kasse und Vollstreckung"),
            new("STE", "Steuern und Abgaben"),
        new("PER", "Personalwesen und Bezüge"), new("EWO", "Einwohnermeldewesen"), new("PST", "Personenstandswesen"),
        new("AUS", "Ausländerwesen"), new("GEW", "Gewerbewesen"), new("KFZ", "Kfz-Zulassung"),
            new("FUE", "Führerscheinwesen"),
        new("OWI", "Ordnungswidrigkeiten"), new("BAU", "Bauaufsicht"), new("GEO", "Geoinformation und Kataster"),
        new("SOZ", "Sozialwesen"), new("JUG", "Jugendhilfe"), new("WAH", "Wahlen"),
            new("RIS", "Ratsinformationssystem"),
        new("DMS", "Dokumentenmanagement und E-Akte"), new("POR", "Serviceportal und Online-Dienste (OZG)"),
        new("PAY", "E-Payment"), new("IDM", "Identitäts- und Zugangsverwaltung"), new("VID", "Videokonferenz"),
    ];

    /// <summary>Reads the catalogue from the reference tables (a few thousand rows at most).</summary>
    public static async Task<ReferenceCatalog> LoadAsync(NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var municipalities = await ReadAsync(conn, "select ags, name from municipalities order by ags", r
            => KeyValuePair.Create(r.GetString(0), r.GetString(1)), ct);
        var ozg = await ReadAsync(conn, "select ozg_id, name from ozg_services order by ozg_id", r
            => KeyValuePair.Create(r.GetInt32(0), r.GetString(1)), ct);
        var services = await ReadAsync(conn, "select code, name from services order by category, code", r
            => KeyValuePair.Create(r.GetString(0), r.GetString(1)), ct);
        var costTypes = await ReadAsync(conn, "select code, name, sort from cost_types order by sort", r
            => new CostType(r.GetString(0), r.GetString(1), r.GetInt32(2)), ct);
        var providers = await ReadAsync(conn, "select code, name from providers order by code", r
            => KeyValuePair.Create(r.GetString(0), r.GetString(1)), ct);
        var periods = await ReadAsync(conn, "select period, closed from periods order by period", r
            => KeyValuePair.Create(r.GetString(0), r.GetBoolean(1)), ct);
        return new ReferenceCatalog(municipalities, ozg, services, costTypes, providers, periods);
    }

    static async Task<List<T>> ReadAsync<T>(NpgsqlConnection conn, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(map(reader));
        return list;
    }

    /// <summary>
    /// Whether returns may be submitted for the period: a closed period refuses them; a yearly period that has
    /// no row yet counts as open (intake creates the row); an unknown quarter or half-year is not open.
    /// </summary>
    public bool IsOpen(string period, out string reason)
    {
        if (Periods.TryGetValue(period, out var closed))
        {
            reason = closed ? "Der Meldezeitraum ist abgeschlossen." : "";
            return !closed;
        }
        if (period.Length == 4 && period.All(char.IsAsciiDigit)) { reason = ""; return true; }
        reason = "Der Meldezeitraum ist nicht angelegt.";
        return false;
    }
}
