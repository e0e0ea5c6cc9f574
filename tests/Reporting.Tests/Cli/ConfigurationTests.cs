using System.Text.Json;
using Reporting.Database;
using Reporting.Scheduling;

namespace Reporting.Tests.Cli;

public sealed class ConfigurationTests
{
    static readonly JsonDocument Settings = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppPaths.FindContentRoot(), "appsettings.json")));

    [Fact]
    public void The_connection_string_is_empty_by_default_so_the_embedded_cluster_is_used()
    {
        Assert.Equal("", Settings.RootElement.GetProperty("ConnectionStrings").GetProperty("Reporting").GetString());
    }

    [Theory]
    [InlineData(DatabaseOptions.Section), InlineData(PathsOptions.Section), InlineData(SchedulingOptions.Section)]
    public void Each_options_class_has_a_section_of_the_same_name(string section)
    {
        Assert.True(Settings.RootElement.TryGetProperty(section, out _), $"appsettings.json lacks section {section}");
    }
}
