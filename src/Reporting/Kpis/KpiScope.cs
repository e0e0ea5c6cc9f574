using System.Text.RegularExpressions;

namespace Reporting.Kpis;

public enum KpiScopeKind { Nrw, Region, District, Provider }

/// <summary>
/// Whose slice of the KPIs a reader sees: all NRW (admins, the association board), a Regierungsbezirk, a district
/// (Kreis / kreisfreie Stadt) or a provider. Text form: "nrw", "region=051", "district=05162", "provider=CODE".
/// </summary>
public sealed partial record KpiScope(KpiScopeKind Kind, string? Key)
{
    public static readonly KpiScope Nrw = new(KpiScopeKind.Nrw, null);
    public static KpiScope Region(string key) => new(KpiScopeKind.Region, key);
    public static KpiScope District(string key) => new(KpiScopeKind.District, key);
    public static KpiScope Provider(string code) => new(KpiScopeKind.Provider, code);

    public static KpiScope Parse(string? text) => TryParse(text, out var s, out var error)
        ? s : throw new FormatException(error);

    public static bool TryParse(string? text, out KpiScope scope, out string error)
    {
        scope = Nrw;
        error = "";
        text = text?.Trim() ?? "";
        if (text.Length == 0 || text.Equals("nrw", StringComparison.OrdinalIgnoreCase)
            || text.Equals("all", StringComparison.OrdinalIgnoreCase)) return true;
        var eq = text.IndexOf('=');
        var (kind, key) = eq < 0 ? (text, "") : (text[..eq].Trim().ToLowerInvariant(), text[(eq + 1)..].Trim());
        switch (kind)
        {
            case "region" when RegionKey().IsMatch(key): scope = Region(key); return true;
            case "district" when DistrictKey().IsMatch(key): scope = District(key); return true;
            case "provider" when ProviderCode()
                .IsMatch(key.ToUpperInvariant()): scope = Provider(key.ToUpperInvariant()); return true;
            case "region": error = $"scope '{text}': a region key has 3 digits (region=051)"; return false;
            case "district": error = $"scope '{text}': a district key has 5 digits (district=05162)"; return false;
            case "provider": error = $"scope '{text}': a provider code is 2-20 capitals, digits, '_' or '-' "
                + $"(provider=KRZN)"; return false;
            default:
                error = $"scope '{text}' is not one of: nrw, region=NNN, district=NNNNN, provider=CODE";
                return false;
        }
    }

    /// <summary>The KPI dimension whose slice is the reader's own ("nrw" for the whole state).</summary>
    public string OwnDimension => Kind switch
    {
        KpiScopeKind.Region => KpiDimensions.Region,
        KpiScopeKind.District => KpiDimensions.District,
        KpiScopeKind.Provider => KpiDimensions.Provider,
        _ => KpiDimensions.Nrw,
    };

    /// <summary>The slice key of the reader's own row in <see cref="OwnDimension"/>.</summary>
    public string OwnSliceKey => Key ?? KpiDimensions.NrwKey;

    /// <summary>For file names: nrw, district-05162, provider-KDZA.</summary>
    public string FileTag => Kind == KpiScopeKind.Nrw ? "nrw" : $"{OwnDimension}-{Key}";

    public override string ToString() => Kind switch
    {
        KpiScopeKind.Nrw => "nrw",
        _ => $"{Kind.ToString().ToLowerInvariant()}={Key}",
    };

    [GeneratedRegex("^[0-9]{3}$")] private static partial Regex RegionKey();
    [GeneratedRegex("^[0-9]{5}$")] private static partial Regex DistrictKey();
    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{1,19}$")] private static partial Regex ProviderCode();
}
