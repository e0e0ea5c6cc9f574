using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reference;

namespace Reporting.IntegrationTests.Kpis;

public sealed class KpiReferenceDataTests
{
    [SharedReferenceFact]
    public async Task The_NRW_OZG_rate_is_weighted_by_the_real_population_of_all_396_municipalities()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.SharedReference, new DateOnly(2019, 12, 31));
        await KpiFixture.Exec(db, """
            insert into providers (code, name) values ('OZG1', 'Meldender Dienstleister');
            insert into periods (period, starts_on, ends_on, deadline)
              values ('2025', '2025-01-01', '2025-12-31', '2026-03-31');
            """);
        var v = await KpiFixture.VersionAsync(db, "OZG1", "2025", "accepted", 100);
        // A maturity for every municipality and every OZG service, scattered deterministically over 0..4.
        await KpiFixture.Exec(db, """
            insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, sheet, row_number)
            select $1, m.ags, s.ozg_id, abs(hashtext(m.ags || ':' || s.ozg_id)) % 5, false, 'OZG',
                   row_number() over (order by m.ags, s.ozg_id) + 1
            from municipalities m cross join ozg_services s
            """, v);

        using var app = TestApp.Build(db);
        var id = await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        var s = (await app.Services.GetRequiredService<SnapshotReader>().LoadAsync(id, KpiScope.Nrw))!;

        // Independently: per municipality the share of municipal services at maturity >= 2, weighted by population.
        var municipal = await db.ScalarAsync<decimal>("select count(*) from ozg_services where municipal");
        var rows = new List<(string Ags, string District, decimal Online, decimal Population)>();
        await using (var cmd = db.DataSource.CreateCommand("""
            select m.ags, m.district_key, count(*) filter (where o.maturity >= 2 and s.municipal), m.population
            from municipalities m join ozg_facts o on o.ags = m.ags
              join ozg_services s on s.ozg_id = o.ozg_id group by m.ags, m.district_key, m.population
            """))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt32(3)));

        Assert.Equal(396, rows.Count);
        Assert.Equal(17_947_221m, rows.Sum(x => x.Population));
        var expected = rows.Sum(x => x.Online / municipal * x.Population) / 17_947_221m;
        Assert.Equal((double)expected, (double)s.ValueOf("ozg_online_rate", "nrw", "NRW")!.Value, 1e-9);
        Assert.Equal(17_947_221m, s.Find("ozg_online_rate", "nrw", "NRW")!.Denominator);

        var koeln = rows.Single(x => x.Ags == "05315000");
        Assert.Equal((double)(koeln.Online / municipal),
            (double)s.ValueOf("ozg_online_rate", "district", "05315")!.Value, 1e-9);
        var kreis = rows.Where(x => x.District == "05162").ToList();
        Assert.Equal((double)(kreis.Sum(x => x.Online / municipal * x.Population) / kreis.Sum(x => x.Population)),
            (double)s.ValueOf("ozg_online_rate", "district", "05162")!.Value, 1e-9);
        Assert.Equal(396, s.Of("ozg_online_rate", "municipality").Count());
    }
}
