using Reporting.Database;
using Reporting.Delivery;
using Reporting.Demo;
using Reporting.Ingestion;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Reports;
using Reporting.Scenarios;
using Reporting.Scheduling;
using Reporting.Uploads;
using Reporting.Web;
using Reporting.Access;
using Reporting.Pipeline;

namespace Reporting;

public static class ReportingExtensions
{
    /// <summary>The app's table of contents: each feature folder registers its own services.</summary>
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        builder.AddPaths();
        builder.AddDatabase();        // Database/: embedded PostgreSQL default, migrations
        builder.AddReferenceData();   // Reference/: municipalities, districts, OZG catalogue
        builder.AddUploads();         // Uploads/: upload storage, quota, return template
        builder.AddIngestion();       // Ingestion/: reading, validation, exactly-once load
        builder.AddKpis();            // Kpis/: KPI catalogue, snapshots, lineage
        builder.AddReports();         // Reports/: charts and executive workbooks
        builder.AddDelivery();        // Delivery/: mail, pickup folder, delivery log
        builder.AddScenarios();       // Scenarios/: consolidation scenarios (mergers, moves) against the baseline
        builder.AddScheduling();      // Scheduling/: Hangfire on PostgreSQL, jobs/ files, deadlines
        builder.AddPipeline();        // Pipeline/: the order of steps, the way in for uploads
        builder.AddAccess();          // Access/: API keys, sign-in, sessions, policies
        builder.AddDemo();            // Demo/: the main job, end to end on demo data
        return builder;
    }

    /// <summary>The web side: API endpoints, pages, job console.</summary>
    public static WebApplication MapReporting(this WebApplication app)
    {
        app.UseDatabaseErrors();      // outermost of ours: no PostgreSQL message reaches a page or API client
        app.MapWeb();                 // authentication first, then health, OpenAPI, admin pages
        app.MapUploads();             // Web/: the upload API
        app.MapKpis();                // Web/: the KPI API
        app.MapScenarios();           // Web/: the scenario API
        app.MapScheduling();          // Web/: the job console
        return app;
    }

    static void AddPaths(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PathsOptions>().BindConfiguration(PathsOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new AppPaths(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PathsOptions>>(),
                builder.Environment.ContentRootPath));
    }
}
