namespace Reporting.IntegrationTests.Support;

/// <summary>The app's services (AddReporting) against a test database, as a verb would get them.</summary>
public static class TestApp
{
    public static IHost Build(TestDatabase db, Action<HostApplicationBuilder>? configure = null, params (string Key, string Value)[] settings)
    {
        var builder = ReportingHost.CreateBuilder(b =>
        {
            b.Configuration.AddInMemoryCollection(
            [
                new("ConnectionStrings:Reporting", db.ConnectionString),
                // The repo's jobs/ files name demo districts; tests that want schedules pass their own folder.
                new("Paths:Jobs", Path.Combine(Path.GetTempPath(), "reporting-tests-no-jobs")),
            ]);
            b.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
            configure?.Invoke(b);
        });
        return builder.Build();
    }
}
