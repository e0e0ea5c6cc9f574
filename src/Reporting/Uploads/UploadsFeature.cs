namespace Reporting.Uploads;

public static class UploadsFeature
{
    public static void AddUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddOptions<UploadsOptions>().BindConfiguration(UploadsOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UploadQuota>();
        builder.Services.AddSingleton<UploadGate>();
        builder.Services.AddTransient<RejectedUploadPruning>();
        builder.Services.AddSingleton(TimeProvider.System);
    }
}
