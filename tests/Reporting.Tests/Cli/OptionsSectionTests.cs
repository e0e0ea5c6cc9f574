using System.Reflection;

namespace Reporting.Tests.Cli;

public sealed class OptionsSectionTests
{
    [Fact]
    public void Every_options_class_is_bound_to_the_section_named_after_it()
    {
        var options = typeof(AppPaths).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && !t.IsNested)
            .Select(t => (t.Name,
                Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)))
            .Where(o => o.Section is string)
            .ToList();

        Assert.NotEmpty(options);
        Assert.All(options, o => Assert.Equal(o.Name[..^"Options".Length], o.Section));
    }
}
