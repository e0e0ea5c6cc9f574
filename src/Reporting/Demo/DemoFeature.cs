namespace Reporting.Demo;

public static class DemoFeature
{
    public static void AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SampleReturns>();
        builder.Services.AddTransient<DemoPipeline>();
    }
}
