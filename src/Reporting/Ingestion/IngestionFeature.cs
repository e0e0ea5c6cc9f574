namespace Reporting.Ingestion;

public static class IngestionFeature
{
    public static void AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<UploadsOptions>(builder.Configuration.GetSection(UploadsOptions.Section));
    }

}
