using Reporting.Reports;

namespace Reporting.Tests.Reports;

public sealed class GermanFormatChangeTests
{
    [Fact]
    public void A_rate_changes_in_percentage_points() =>
        Assert.Equal("+13,8 Pp.", GermanFormat.Change(0.554m, 0.416m, "Anteil"));

    [Fact]
    public void A_falling_rate_changes_in_negative_percentage_points() =>
        Assert.Equal("−2,5 Pp.", GermanFormat.Change(0.30m, 0.325m, "Anteil"));

    [Fact]
    public void An_amount_changes_in_percent() =>
        Assert.Equal("+10,0 %", GermanFormat.Change(110m, 100m, "EUR"));

    [Fact]
    public void A_change_without_a_previous_value_is_a_dash() =>
        Assert.Equal("–", GermanFormat.Change(0.5m, null, "Anteil"));

    [Theory]
    [InlineData("2025", "2024")]
    [InlineData("2025-Q3", "2025-Q2")]
    [InlineData("2025-Q1", "2024-Q4")]
    public void The_previous_period_is_named(string period, string previous) =>
        Assert.Equal(previous, GermanFormat.PreviousPeriod(period));

    [Theory]
    [InlineData(0.5, "Median")]
    [InlineData(0.25, "unteres Quartil")]
    [InlineData(0.75, "oberes Quartil")]
    [InlineData(0.1, "10. Perzentil")]
    public void The_method_label_follows_the_quantile_parameter(double q, string label) =>
        Assert.Equal(label, GermanFormat.QuantileLabel((decimal)q));
}
