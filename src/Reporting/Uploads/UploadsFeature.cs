namespace Reporting.Uploads;

public static class UploadsFeature
{
    public static void AddUploads(this IHostApplicationBuilder builder)
    {
    }

    public static void MapUploads(this WebApplication app)
    {
    }
}
