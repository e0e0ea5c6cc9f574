
namespace Reporting.IntegrationTests.Support;

/// <summary>The app's services (AddReporting) against a test database, as a verb would get them.</summary>
public static class TestApp
{
    public static IHost Build(TestDatabase db, Action<HostApplicationBuilder>? configure = null,
        params (string Key, string Value)[] settings)
    {
        var builder = ReportingHost.CreateBuilder(b =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Reporting"] = db.ConnectionString,
                // No schedules unless a test asks for them: tests that want some pass their own folder.
                ["Paths:Jobs"] = Path.Combine(Path.GetTempPath(), "reporting-tests-no-jobs"),
            };
            foreach (var (key, value) in settings) values[key] = value;   // a test's own setting wins over the defaults
            b.Configuration.AddInMemoryCollection(values);
            configure?.Invoke(b);
        });
        return builder.Build();
    }
}
