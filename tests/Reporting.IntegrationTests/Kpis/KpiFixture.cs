using Npgsql;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Kpis;

/// <summary>
/// A small hand-checkable world, inserted with plain SQL (as ingestion would leave it):
/// regions 051, 053; districts 05111 (A), 05162 (B, C, D, F), 05315 (E); populations
/// A 600,000  B 50,000  C 30,000  D 20,000  E 1,000,000  F 10,000 (F is served by nobody): 1,710,000 in all.
/// OZG: 10001, 10002 (Familie), 10003 (Bauen) municipal; 10004 (Bauen) federal only.
/// Providers P1, P2, P3 report for 2025; P4 is registered but has not (3 of 4 returns: completeness 0.75).
/// Registered areas: P1 05111 + 05162, P2 05162, P3 05315, P4 05162.
///
/// 2025, accepted (the tests repeat these numbers in their arithmetic):
/// P1 (fte 20): cost ARB personal 2,000,000.00 (Kosten!C5), ARB hardware 1,000,000.00 (C6), FIN software 120,000.00
/// (C7)
///                supply A ARB ws 1000 users 1100 charges 3,000,000; A FIN 400/420/200,000; B ARB 200/210/500,000
///   P2 (fte 10): cost ARB personal 1,000,000, ARB hardware 200,000, FIN software 50,000
///                supply C ARB 300/300/900,000; C FIN 100/100/60,000; D ARB 100/120/250,000
///   P3 (fte 50): cost ARB personal 5,000,000, ARB extern 1,400,000, FIN software 250,000.50
///                supply E ARB 2000/2500/5,000,000; E FIN 500/500/300,000; B FIN 50/50/20,000
///   OZG maturities: A 10001:3 10002:2 10003:1 10004:4 (P1); B 10001:2 10002:0 10003:0 (P1), B 10002:3 (P3);
///                   C 10001:4 10002:3 10003:2 (P2); D 10001:1 (P2); E 10001:2 10002:2 10003:3 (P3)
///   P1 also has a superseded 2025 version with other amounts, which must never count.
/// 2024, accepted: P1 only: cost ARB personal 1,000,000.00; supply A ARB ws 500.
/// </summary>
public sealed class KpiFixture
{
    public const string A = "05111000", B = "05162004", C = "05162008", D = "05162012", E = "05315000", F = "05162016";
    public long P1v2025, P2v2025, P3v2025, P1Superseded, P1v2024;

    public static async Task<KpiFixture> CreateAsync(TestDatabase db)
    {
        var f = new KpiFixture();
        await Exec(db, """
            insert into regions values ('051', 'Düsseldorf'), ('053', 'Köln');
            insert into districts
              values ('05111', 'Düsseldorf', 'kreisfreie Stadt', '051'),
                     ('05162', 'Rhein-Kreis Neuss', 'Kreis', '051'),
                     ('05315', 'Köln', 'kreisfreie Stadt', '053');
            insert into municipalities (ags, ars, name, kind, district_key, population, population_as_of) values
              ('05111000', '051110000000', 'Düsseldorf', 'kreisfreie Stadt', '05111', 600000, '2019-12-31'),
              ('05162004', '051620004004', 'Dormagen', 'Stadt', '05162', 50000, '2019-12-31'),
              ('05162008', '051620008008', 'Grevenbroich', 'Stadt', '05162', 30000, '2019-12-31'),
              ('05162012', '051620012012', 'Jüchen', 'Stadt', '05162', 20000, '2019-12-31'),
              ('05315000', '053150000000', 'Köln', 'kreisfreie Stadt', '05315', 1000000, '2019-12-31'),
              ('05162016', '051620016016', 'Kaarst', 'Stadt', '05162', 10000, '2019-12-31');
            insert into ozg_services (ozg_id, name, life_situation, topic, municipal) values
              (10001, 'Elterngeld', 'Geburt', 'Familie', true), (10002, 'Kindergeld', 'Geburt', 'Familie', true),
              (10003, 'Baugenehmigung', 'Bauen', 'Bauen', true), (10004, 'Bundesbaurecht', 'Bauen', 'Bauen', false);
            insert into providers (code, name)
              values ('P1', 'ITK Eins'), ('P2', 'KRZ Zwei'), ('P3', 'CIV Drei'), ('P4', 'Vier IT');
            insert into provider_districts (provider_code, district_key)
              values ('P1', '05111'), ('P1', '05162'), ('P2', '05162'), ('P3', '05315'), ('P4', '05162');
            insert into periods (period, starts_on, ends_on, deadline)
              values ('2024', '2024-01-01', '2024-12-31', '2025-03-31'), ('2025', '2025-01-01', '2025-12-31',
                '2026-03-31');
            """);

        f.P1Superseded = await VersionAsync(db, "P1", "2025", "superseded", 99);
        await Cost(db, f.P1Superseded, ("ARB", "personal", 9_999_999.99m, "C5"),
            ("FIN", "software", 777_777.77m, "C7"));
        await Supply(db, f.P1Superseded, (A, "ARB", 9999, 9999, 1m, 10));
        await Ozg(db, f.P1Superseded, (A, 10001, 4, 10), (A, 10002, 4, 11), (A, 10003, 4, 12));

        f.P1v2025 = await VersionAsync(db, "P1", "2025", "accepted", 20);
        await Cost(db, f.P1v2025, ("ARB", "personal", 2_000_000.00m, "C5"), ("ARB", "hardware", 1_000_000.00m, "C6"),
            ("FIN", "software", 120_000.00m, "C7"));
        await Supply(db, f.P1v2025, (A, "ARB", 1000, 1100, 3_000_000m, 10), (A, "FIN", 400, 420, 200_000m, 11),
            (B, "ARB", 200, 210, 500_000m, 12));
        await Ozg(db, f.P1v2025, (A, 10001, 3, 10), (A, 10002, 2, 11), (A, 10003, 1, 12), (A, 10004, 4, 13),
            (B, 10001, 2, 14), (B, 10002, 0, 15), (B, 10003, 0, 16));

        f.P2v2025 = await VersionAsync(db, "P2", "2025", "accepted", 10);
        await Cost(db, f.P2v2025, ("ARB", "personal", 1_000_000m, "C5"), ("ARB", "hardware", 200_000m, "C6"),
            ("FIN", "software", 50_000m, "C7"));
        await Supply(db, f.P2v2025, (C, "ARB", 300, 300, 900_000m, 10), (C, "FIN", 100, 100, 60_000m, 11),
            (D, "ARB", 100, 120, 250_000m, 12));
        await Ozg(db, f.P2v2025, (C, 10001, 4, 10), (C, 10002, 3, 11), (C, 10003, 2, 12), (D, 10001, 1, 13));

        f.P3v2025 = await VersionAsync(db, "P3", "2025", "accepted", 50);
        await Cost(db, f.P3v2025, ("ARB", "personal", 5_000_000m, "C5"), ("ARB", "extern", 1_400_000m, "C8"),
            ("FIN", "software", 250_000.50m, "C7"));
        await Supply(db, f.P3v2025, (E, "ARB", 2000, 2500, 5_000_000m, 10), (E, "FIN", 500, 500, 300_000m, 11),
            (B, "FIN", 50, 50, 20_000m, 12));
        await Ozg(db, f.P3v2025, (E, 10001, 2, 10), (E, 10002, 2, 11), (E, 10003, 3, 12), (B, 10002, 3, 13));

        f.P1v2024 = await VersionAsync(db, "P1", "2024", "accepted", 20);
        await Cost(db, f.P1v2024, ("ARB", "personal", 1_000_000.00m, "C5"));
        await Supply(db, f.P1v2024, (A, "ARB", 500, 500, 1_000_000m, 10));
        return f;
    }

    public static async Task<long> VersionAsync(TestDatabase db, string provider, string period, string status,
        decimal? fte)
    {
        await using var cmd = db.DataSource.CreateCommand("""
            with rt as (
              insert into returns (provider_code, period) values ($1, $2)
              on conflict (provider_code, period) do update set provider_code = excluded.provider_code returning id),
            up as (
              insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
              values (sha256(gen_random_uuid()::text::bytea), 'meldung.xlsx', 1, '\x00'::bytea, $1, 'test')
                returning id)
            insert into return_versions (return_id, provider_code, period, upload_id, version, status, staff_fte,
              submitted_by, decided_at)
            select rt.id, $1, $2, up.id,
                   (select count(*) + 1 from return_versions where provider_code = $1
                     and period = $2), $3, $4, 'test', now()
            from rt, up returning id
            """);
        cmd.Parameters.Add(new() { Value = provider });
        cmd.Parameters.Add(new() { Value = period });
        cmd.Parameters.Add(new() { Value = status });
        cmd.Parameters.Add(new() { Value = (object?)fte ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task Cost(TestDatabase db, long version,
        params (string Service, string CostType, decimal Amount, string Cell)[] lines)
    {
        foreach (var l in lines)
            await Exec(db, "insert into cost_facts values ($1, $2, $3, $4, 'Kosten', $5)", version, l.Service,
                l.CostType, l.Amount, l.Cell);
    }

    public static async Task Supply(TestDatabase db, long version,
        params (string Ags, string Service, int Ws, int Users, decimal Charges, int Row)[] lines)
    {
        foreach (var l in lines)
            await Exec(db, "insert into supply_facts values ($1, $2, $3, $4, $5, $6, 'Versorgung', $7)", version,
                l.Ags, l.Service, l.Ws, l.Users, l.Charges, l.Row);
    }

    public static async Task Ozg(TestDatabase db, long version,
        params (string Ags, int OzgId, short Maturity, int Row)[] lines)
    {
        foreach (var l in lines)
            await Exec(db,
                "insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, sheet, row_number) values ($1, "
                    + "$2, $3, $4, false, 'OZG', $5)", version, l.Ags, l.OzgId, l.Maturity, l.Row);
    }

    public static async Task Exec(TestDatabase db, string sql, params object[] args)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>KPI values are stored rounded to 10 decimals (half away from zero, like PostgreSQL's round).</summary>
    public static decimal R(decimal x) => Math.Round(x, 10, MidpointRounding.AwayFromZero);
}
