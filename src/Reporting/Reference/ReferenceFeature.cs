namespace Reporting.Reference;

public static class ReferenceFeature
{
    public static void AddReferenceData(this IHostApplicationBuilder builder) =>
        builder.Services.AddSingleton<ReferenceImporter>();
}
