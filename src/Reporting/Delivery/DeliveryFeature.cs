namespace Reporting.Delivery;

public static class DeliveryFeature
{
    public static void AddDelivery(this IHostApplicationBuilder builder)
    {
    }

}
