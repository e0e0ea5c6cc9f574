using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;
using Reporting.Kpis;
using Reporting.Uploads;

namespace Reporting.Tests.Cli;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Uploads:MaxSheets", "0", "MaxSheets")]
    [InlineData("Kpis:AnonymityMinProviders", "0", "AnonymityMinProviders")]
    public async Task A_host_with_an_invalid_option_fails_to_start_naming_the_option(string key, string value,
        string member)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppPaths.FindContentRoot(),
        });
        builder.Configuration.AddInMemoryCollection([new(key, value)]);
        builder.AddUploads();
        builder.AddKpis();
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(member, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_appsettings_pass_the_checks_of_every_options_class()
    {
        var settings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppPaths.FindContentRoot(), "appsettings.json")).Build();
        var options = typeof(AppPaths).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && !t.IsNested)
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)
                ?.GetValue(null) as string))
            .Where(o => o.Section is not null)
            .ToList();
        Assert.NotEmpty(options);

        foreach (var (type, section) in options)
        {
            var bound = settings.GetSection(section!).Get(type) ?? Activator.CreateInstance(type)!;
            var errors = new List<ValidationResult>();
            var valid = Validator.TryValidateObject(bound, new ValidationContext(bound), errors, true);
            Assert.True(valid, $"{section}: {string.Join("; ", errors.Select(r => r.ErrorMessage))}");
        }
    }
}
