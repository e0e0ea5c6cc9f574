namespace Reporting.Ingestion;

public static class IngestionFeature
{
    public static void AddIngestion(this IHostApplicationBuilder builder)
    {
    }

}
