namespace Reporting.Demo;

public static class DemoFeature
{
    public static void AddDemo(this IHostApplicationBuilder builder) => builder.Services.AddTransient<DemoPipeline>();
}
