using Reporting.Kpis;

namespace Reporting.Tests.Kpis;

public sealed class ProviderAnonymityTests
{
    static KpiValue V(string provider, decimal value) =>
        new("cost_per_workstation", "provider", provider, provider, null, provider, value, null, null, null, 1, false);

    static KpiValue[] Values(int n) => Enumerable.Range(1, n).Select(i => V($"P{i}", i * 10m)).ToArray();

    [Fact]
    public void Five_providers_give_no_band_because_a_band_of_two_would_betray_the_other_one_to_its_partner() =>
        Assert.Empty(ProviderAnonymity.Bands(Values(5), minProviders: 5, reader: "P1"));

    [Fact]
    public void Six_to_eight_providers_give_two_bands_and_the_mean_of_all()
    {
        var c = Assert.Single(ProviderAnonymity.Bands(Values(7), minProviders: 5, reader: "P1"));
        Assert.Equal((20m, 40m, 55m, "bands"), (c.Min, c.Median, c.Max, c.Basis));   // (10+20+30)/3, all, (40..70)/4
    }

    [Fact]
    public void Nine_or_more_providers_give_three_bands_of_at_least_three()
    {
        var c = Assert.Single(ProviderAnonymity.Bands(Values(10), minProviders: 5, reader: "P4"));
        Assert.Equal((20m, 55m, 90m), (c.Min, c.Median, c.Max));   // 10..30, 40..70, 80..100
    }

    [Fact]
    public void A_reader_outside_the_group_gets_no_comparison() =>
        Assert.Empty(ProviderAnonymity.Bands(Values(10), minProviders: 5, reader: "ZZ"));

    static Dictionary<string, string> Hashes(params (string Code, string Hash)[] xs) =>
        xs.ToDictionary(x => x.Code, x => x.Hash);

    [Fact]
    public void A_first_publication_needs_as_many_contributing_providers_as_the_minimum()
    {
        Assert.False(ProviderAnonymity.Publishes("P1", Hashes(("P1", "a"), ("P2", "b"), ("P3", "c"), ("P4", "d")),
            null, minProviders: 5));
        Assert.True(ProviderAnonymity.Publishes("P9",
            Hashes(("P1", "a"), ("P2", "b"), ("P3", "c"), ("P4", "d"), ("P5", "e")), null, minProviders: 5));
    }

    [Fact]
    public void Unchanged_resubmissions_and_the_readers_own_change_do_not_count_towards_a_new_publication()
    {
        var last = Hashes(("P1", "a"), ("P2", "b"), ("P3", "c"), ("P4", "d"), ("P5", "e"));
        // Same facts for P2..P5 (whatever their version ids), the reader's own changed, one newcomer: one change.
        var now = Hashes(("P1", "A"), ("P2", "b"), ("P3", "c"), ("P4", "d"), ("P5", "e"), ("P6", "f"));
        Assert.False(ProviderAnonymity.Publishes("P1", now, last, minProviders: 5));
    }

    [Fact]
    public void Five_other_providers_with_changed_new_or_withdrawn_facts_make_a_new_publication()
    {
        var last = Hashes(("P1", "a"), ("P2", "b"), ("P3", "c"), ("P4", "d"), ("P5", "e"));
        var now = Hashes(("P1", "a"), ("P2", "B"), ("P3", "C"), ("P4", "D"), ("P6", "f"));
        Assert.True(ProviderAnonymity.Publishes("P1", now, last, minProviders: 5));   // P2-P4 changed, P5 gone, P6 new
        Assert.False(ProviderAnonymity.Publishes("P1", now, last, minProviders: 6));
    }
}
