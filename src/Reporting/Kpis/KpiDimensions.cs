namespace Reporting.Kpis;

/// <summary>
/// The dimensions a KPI value can be sliced by (kpi_values.dimension) and how each groups the measure rows of
/// kpi_input, or rolls up values of a finer dimension. The names are a contract with the renderer: keep them.
/// </summary>
public static class KpiDimensions
{
    public const string Nrw = "nrw", Region = "region", District = "district", Provider = "provider",
        Municipality = "municipality",
        Service = "service", CostType = "cost_type", OzgTopic = "ozg_topic", OzgService = "ozg_service",
        ProviderService = "provider_service", ProviderCostType = "provider_cost_type",
        DistrictOzgTopic = "district_ozg_topic";

    public const string NrwKey = "NRW";

    /// <summary>
    /// SQL expression over kpi_input's columns giving a row's slice key (null: the row has no such slice).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FactKey = new Dictionary<string, string>
    {
        [Nrw] = "'NRW'",
        [Region] = "region_key",
        [District] = "district_key",
        [Provider] = "provider_code",
        [Municipality] = "ags",
        [Service] = "service_code",
        [CostType] = "cost_type",
        [OzgTopic] = "ozg_topic",
        [OzgService] = "ozg_id::text",
        [ProviderService] = "provider_code || '|' || service_code",
        [ProviderCostType] = "provider_code || '|' || cost_type",
        [DistrictOzgTopic] = "district_key || '|' || ozg_topic",
    };

    public static IReadOnlyCollection<string> All => (IReadOnlyCollection<string>)FactKey.Keys;

    /// <summary>Dimensions whose rows are one provider's figures (row-level scope: provider_code).</summary>
    public static readonly IReadOnlySet<string> ProviderDimensions = new HashSet<string> { Provider, ProviderService,
        ProviderCostType };

    /// <summary>Dimensions whose rows belong to one part of the territory.</summary>
    public static readonly IReadOnlySet<string> TerritoryDimensions = new HashSet<string> { Region, District,
        Municipality, DistrictOzgTopic };

    /// <summary>
    /// SQL expression over a computed value row (columns slice_key) mapping a slice of <paramref name="from"/> to
    /// its slice in the coarser <paramref name="to"/>; null when there is no such roll-up.
    /// </summary>
    public static string? RollUp(string from, string to) => (from, to) switch
    {
        _ when from == to => "slice_key",
        (_, Nrw) => "'NRW'",
        (ProviderService, Service) or (ProviderCostType, CostType) => "split_part(slice_key, '|', 2)",
        (ProviderService, Provider) or (ProviderCostType, Provider) => "split_part(slice_key, '|', 1)",
        (OzgService, OzgTopic) => "(select o.topic from ozg_services o where o.ozg_id::text = slice_key)",
        (Municipality, District) => "(select m.district_key from municipalities m where m.ags = slice_key)",
        (Municipality, Region)
            => "(select d.region_key from municipalities m join districts d on d.key = m.district_key where m.ags = "
                + "slice_key)",
        (District, Region) => "(select d.region_key from districts d where d.key = slice_key)",
        _ => null,
    };
}
