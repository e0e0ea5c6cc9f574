using Reporting.Uploads;
namespace Reporting.Ingestion;

public static class IngestionFeature
{
    public static void AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReturnIngester>();
        builder.Services.AddTransient<IngestJob>();
        builder.Services.AddSingleton<IngestSlots>();
        builder.Services.AddSingleton<ReturnVersions>();
        builder.Services.AddSingleton<FeedbackStore>();
        builder.Services.AddSingleton<SubmissionLedger>();
        builder.Services.AddSingleton<VersionDiff>();
    }

}
