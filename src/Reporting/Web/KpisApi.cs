using System.Security.Claims;
using Reporting.Web;
using Reporting.Kpis;
using Reporting.Access;

namespace Reporting.Web;

/// <summary>
/// GET /api/kpis?period=2025&amp;scope=district=05162&amp;kpi=total_cost,cost_per_workstation: the period's latest
/// snapshot as the caller may see it (a provider always sees its own scope). GET /api/kpis/explain: the facts
/// behind one value (admins any value, providers their own rows, their own facts).
/// </summary>
public static class KpisApi
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/kpis").RequireAuthorization(Auth.ProviderOrAdminPolicy);

        api.MapGet("", async (string? period, string? scope, string? kpi, ClaimsPrincipal user, SnapshotReader reader,
            KpiCatalogue catalogue, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(period)) return Results.Problem(
                "Parameter 'period' fehlt (z. B. period=2025).", statusCode: 400);
            KpiScope? requested = null;
            if (!string.IsNullOrWhiteSpace(scope))
            {
                if (!KpiScope.TryParse(scope, out var s, out var error)) return Results.Problem(error, statusCode: 400);
                requested = s;
            }
            if (CallerScope.ForPrincipal(user, requested) is not { } effective)
                return Results.Problem("Dieser Ausschnitt ist für Sie nicht freigegeben.", statusCode: 403);
            if (await reader.LatestAsync(period, ct) is not { } id) return Results.Problem(
                $"Für den Zeitraum {period} wurden noch keine Kennzahlen berechnet.", statusCode: 404);
            var snapshot = (await reader.LoadAsync(id, effective, ct))!;

            var wanted = (kpi ?? "").Split(',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            var unknown = wanted.Where(w => catalogue.Find(w) is null).ToList();
            if (unknown.Count > 0) return Results.Problem($"Unbekannte Kennzahl: {string.Join(", ", unknown)}",
                statusCode: 400);
            if (wanted.Count > 0)
                snapshot = snapshot with
                {
                    Values = snapshot.Values.Where(v => wanted.Contains(v.KpiId)).ToList(),
                    Comparisons = snapshot.Comparisons.Where(c => wanted.Contains(c.KpiId)).ToList(),
                };
            var definitions = catalogue.Kpis.Where(k => snapshot.Values.Any(v => v.KpiId == k.Id)).Select(k => new
            {
                k.Id, k.Name, k.Definition, k.Unit, k.Direction, k.Dimensions, k.Thresholds, k.Reference,
            });
            return Results.Json(new { snapshot, kpis = definitions });
        }).WithSummary("Die Kennzahlen eines Zeitraums im Ausschnitt des Aufrufers (?period=2025&scope=...&kpi=...)")
            .Produces<KpisAnswer>().ProducesProblem(400).Produces(401).ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/explain", async (long snapshot, string kpi, string dimension, string slice, int? limit,
            ClaimsPrincipal user, KpiLineage lineage, CancellationToken ct) =>
        {
            var provider = user.IsAdmin() ? null : user.ProviderCode();
            if (!user.IsAdmin() && provider is null) return Results.Problem("Nicht freigegeben.", statusCode: 403);
            KpiExplanation? e;
            try { e = await lineage.ExplainAsync(snapshot, kpi, dimension, slice,
                Math.Clamp(limit ?? 1000, 1, 100_000), provider, ct); }
            catch (InvalidOperationException ex) { return Results.Problem(ex.Message, statusCode: 400); }
            // Another provider's value answers exactly like a missing one: no oracle for what exists.
            if (e is null || (provider is not null && e.Value.ProviderCode != provider))
                return Results.Problem("Diesen Wert gibt es in dem Stand nicht.", statusCode: 404);
            return Results.Json(new { e.SnapshotId, kpi = e.Kpi.Id, e.Value, measures = e.Measures, e.TotalFacts,
                e.Facts });
        }).WithSummary("Die Fakten hinter einem Wert").Produces(200, contentType: "application/json")
            .ProducesProblem(400).Produces(401).ProducesProblem(403).ProducesProblem(404);
    }
}
