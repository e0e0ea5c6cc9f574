using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Reporting.Web;

namespace Reporting.Kpis;

public static class KpisFeature
{
    public static void AddKpis(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KpiOptions>(builder.Configuration.GetSection(KpiOptions.Section));
        // Loaded and validated now, so a broken catalogue stops every verb at start-up with the catalogue's errors.
        var path = builder.Configuration.GetSection(KpiOptions.Section)[nameof(KpiOptions.CataloguePath)];
        var catalogue = string.IsNullOrWhiteSpace(path)
            ? KpiCatalogue.LoadEmbedded()
            : KpiCatalogue.LoadFile(Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, path)));
        builder.Services.AddSingleton(catalogue);
        builder.Services.AddSingleton<KpiEngine>();
        builder.Services.AddSingleton<SnapshotReader>();
        builder.Services.AddSingleton<KpiLineage>();
        builder.Services.AddTransient<KpiSnapshotJob>();
        // The policy's owner is the web/auth feature; this default only applies where nobody registered it.
        builder.Services.AddAuthorization(o =>
        {
            if (o.GetPolicy(Auth.ProviderOrAdminPolicy) is null)
                o.AddPolicy(Auth.ProviderOrAdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Auth.ProviderRole, Auth.AdminRole));
        });
    }

    public static void MapKpis(this WebApplication app) => KpisApi.Map(app);
}
