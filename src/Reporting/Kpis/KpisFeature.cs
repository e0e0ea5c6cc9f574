namespace Reporting.Kpis;

public static class KpisFeature
{
    public static void AddKpis(this IHostApplicationBuilder builder)
    {
    }

    public static void MapKpis(this WebApplication app)
    {
    }
}
