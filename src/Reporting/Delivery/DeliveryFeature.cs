namespace Reporting.Delivery;

public static class DeliveryFeature
{
    public static void AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MailComposer>();
        builder.Services.AddSingleton<MailTransport>();
        builder.Services.AddSingleton<DeliveryService>();
        builder.Services.AddSingleton<ProviderVerdicts>();
        builder.Services.AddTransient<DeliveryJobs>();
    }
}
