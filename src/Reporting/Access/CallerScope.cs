using System.Security.Claims;
using Reporting.Kpis;

namespace Reporting.Access;

/// <summary>Resolves the KPI scope a caller may read.</summary>
public static class CallerScope
{
    /// <summary>
    /// The scope a principal may read: a provider always its own (asking for another is refused with null), an admin
    /// whatever it asks for (NRW by default).
    /// </summary>
    public static KpiScope? ForPrincipal(ClaimsPrincipal user, KpiScope? requested)
    {
        if (user.IsAdmin()) return requested ?? KpiScope.Nrw;
        if (user.ProviderCode() is { Length: > 0 } code)
            return requested is null || requested == KpiScope.Nrw || requested == KpiScope.Provider(code)
                ? KpiScope.Provider(code) : null;
        return null;
    }
}
