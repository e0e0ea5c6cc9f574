namespace Reporting.Scenarios;

public static class ScenariosFeature
{
    public static void AddScenarios(this IHostApplicationBuilder builder)
        => builder.Services.AddSingleton<ScenarioEngine>();
}
