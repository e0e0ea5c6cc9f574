namespace Reporting.Delivery;

public static class DeliveryFeature
{
    public static void AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection(SmtpOptions.Section));
        builder.Services.Configure<DeliveryOptions>(builder.Configuration.GetSection(DeliveryOptions.Section));
        builder.Services.AddSingleton<MailComposer>();
        builder.Services.AddSingleton<MailTransport>();
        builder.Services.AddSingleton<DeliveryService>();
        builder.Services.AddSingleton<ProviderVerdicts>();
        builder.Services.AddTransient<DeliveryJobs>();
    }
}
