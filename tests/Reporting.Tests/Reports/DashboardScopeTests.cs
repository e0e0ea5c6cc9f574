using Reporting.Reports;

namespace Reporting.Tests.Reports;

public sealed class DashboardScopeTests
{
    [Theory]
    [InlineData("nrw", DashboardScopeKind.Nrw, null)]
    [InlineData("region=051", DashboardScopeKind.Region, "051")]
    [InlineData("district=05162", DashboardScopeKind.District, "05162")]
    [InlineData("provider=kdz", DashboardScopeKind.Provider, "KDZ")]
    public void Scope_strings_name_the_recipients_slice(string text, DashboardScopeKind kind, string? key)
    {
        var s = DashboardScope.Parse(text);
        Assert.Equal((kind, key), (s.Kind, s.Key));
    }

    [Theory]
    [InlineData("district=")]
    [InlineData("district=abc")]
    [InlineData("kreis=05162")]
    public void A_scope_that_names_nothing_is_refused(string text) => Assert.Throws<FormatException>(() => DashboardScope.Parse(text));

    [Fact]
    public void Numbers_are_formatted_the_German_way()
    {
        Assert.Equal("1.234,5 €", GermanFormat.Euro(1234.5m, 1));
        Assert.Equal("12,3 %", GermanFormat.Percent(0.123m));
        Assert.Equal("+4,2 %", GermanFormat.Change(0.042m));
        Assert.Equal("−1,0 %", GermanFormat.Change(-0.01m));
        Assert.Equal("1,2 Mio. €", GermanFormat.EuroShort(1_234_567));
    }
}
