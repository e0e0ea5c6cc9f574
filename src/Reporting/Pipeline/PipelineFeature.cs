using Hangfire;

namespace Reporting.Pipeline;

public static class PipelineFeature
{
    static readonly Lock FilterLock = new();

    /// <summary>The pipeline's owner, the way in (API, portal, inbox, demo) and the inbox folder's scanner.</summary>
    public static void AddPipeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReturnPipeline>();
        builder.Services.AddSingleton<UploadIntake>();
        builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTransient<InboxScanner>();
        builder.Services.AddHostedService<InboxScanner.Schedule>();
        // Hangfire's filters are process-global; the filter holds no host's services, so one serves every host.
        lock (FilterLock)
        {
            if (!GlobalJobFilters.Filters.Any(f => f.Instance is ReturnPipeline.NextStep))
                GlobalJobFilters.Filters.Add(new ReturnPipeline.NextStep());
        }
    }
}
