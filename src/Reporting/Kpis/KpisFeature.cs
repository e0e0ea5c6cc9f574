
namespace Reporting.Kpis;

public static class KpisFeature
{
    public static void AddKpis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KpisOptions>().BindConfiguration(KpisOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        // Loaded and validated now, so a broken catalogue stops every verb at start-up with the catalogue's errors.
        var path = builder.Configuration.GetSection(KpisOptions.Section)[nameof(KpisOptions.CataloguePath)];
        var catalogue = string.IsNullOrWhiteSpace(path)
            ? KpiCatalogue.LoadEmbedded()
            : KpiCatalogue.LoadFile(Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, path)));
        builder.Services.AddSingleton(catalogue);
        builder.Services.AddSingleton<KpiEngine>();
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<KpiLineage>();
        builder.Services.AddTransient<KpiSnapshotJob>();
    }
}
