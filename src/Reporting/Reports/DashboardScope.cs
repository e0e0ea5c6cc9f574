namespace Reporting.Reports;

/// <summary>
/// Whose slice a dashboard shows: "nrw" (everything), "region=051", "district=05162", "provider=CODE".
/// A recipient sees their own rows plus the NRW-wide aggregates for comparison, never another district's rows.
/// </summary>
public sealed record DashboardScope(DashboardScopeKind Kind, string? Key)
{
    public static DashboardScope Nrw { get; } = new(DashboardScopeKind.Nrw, null);

    public static DashboardScope Parse(string text)
    {
        var t = text.Trim();
        if (t.Equals("nrw", StringComparison.OrdinalIgnoreCase)) return Nrw;
        var eq = t.IndexOf('=');
        if (eq > 0)
        {
            var kind = t[..eq].Trim().ToLowerInvariant();
            var key = t[(eq + 1)..].Trim();
            if (key.Length > 0)
                switch (kind)
                {
                    case "region" when key.All(char.IsAsciiDigit): return new(DashboardScopeKind.Region, key);
                    case "district" when key.All(char.IsAsciiDigit): return new(DashboardScopeKind.District, key);
                    case "provider": return new(DashboardScopeKind.Provider, key.ToUpperInvariant());
                }
        }
        throw new FormatException($"scope '{text}' is not one of: nrw, region=051, district=05162, provider=CODE");
    }

    /// <summary>The KPI dimension whose slice is the recipient's own ("nrw" for the whole state).</summary>
    public string OwnDimension => Kind switch
    {
        DashboardScopeKind.Region => "region",
        DashboardScopeKind.District => "district",
        DashboardScopeKind.Provider => "provider",
        _ => "nrw",
    };

    public string OwnSliceKey => Key ?? "NRW";

    /// <summary>For file names: nrw, district-05162, ...</summary>
    public string FileTag => Kind == DashboardScopeKind.Nrw ? "nrw" : $"{OwnDimension}-{Key}";

    public override string ToString() => Kind == DashboardScopeKind.Nrw ? "nrw" : $"{OwnDimension}={Key}";
}

public enum DashboardScopeKind { Nrw, Region, District, Provider }
