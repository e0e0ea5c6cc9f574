using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Database;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Database;

public sealed class MigratorTests
{
    [Fact]
    public async Task Migrating_twice_in_a_row_applies_everything_once_and_then_nothing()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new Migrator(db.DataSource, NullLogger<Migrator>.Instance);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(Migrator.Scripts.Select(s => s.Id), first);
        Assert.Empty(second);
        Assert.Equal(Migrator.Scripts.Count, await db.ScalarAsync<int>("select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task Concurrent_migrations_on_a_fresh_database_apply_each_script_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_
            => new Migrator(db.DataSource, NullLogger<Migrator>.Instance).MigrateAsync()));

        Assert.Equal(Migrator.Scripts.Count, runs.Sum(r => r.Count));
        Assert.Equal(Migrator.Scripts.Count, await db.ScalarAsync<int>("select count(*) from schema_migrations"));
    }

    [Fact]
    public void Migrations_are_ordered_by_their_file_names()
    {
        var ids = Migrator.Scripts.Select(s => s.Id).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.All(ids, id => Assert.Matches("^[0-9]{3}_[a-z_]+$", id));
    }
}
