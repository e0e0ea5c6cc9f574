namespace Reporting.Reports;

public static class ReportsFeature
{
    public static void AddReports(this IHostApplicationBuilder builder)
    {
        DashboardCharts.EnsureFonts();
        builder.Services.AddSingleton<DashboardRenderer>();
    }
}
