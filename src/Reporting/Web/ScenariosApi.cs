using System.Text;
using Reporting.Access;
using Reporting.Kpis;
using Reporting.Scenarios;

namespace Reporting.Web;

/// <summary>
/// POST /api/scenarios (admins; no credential is 401, a provider's key 403): the body is a scenario file's JSON;
/// optional query scope (as for /api/kpis) and remanent (0..1). Answers the result as
/// <c>scenario FILE --format json</c> prints it, or 400 with one German sentence per problem (problem details,
/// extension "problems"); nothing is stored.
/// </summary>
public static class ScenariosApi
{
    /// <summary>A scenario is a few changes; anything far larger is not one.</summary>
    const int MaxBodyBytes = 1 << 20;

    public static void MapScenariosApi(this WebApplication app) =>
        app.MapPost("/api/scenarios", async (HttpRequest request, string? scope, decimal? remanent,
            ScenarioEngine engine, CancellationToken ct) =>
        {
            if (request.ContentLength is > MaxBodyBytes)
                return Bad("Das Szenario ist zu groß (höchstens 1 MB).");
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var buffer = new char[MaxBodyBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, ct);
            if (read > MaxBodyBytes) return Bad("Das Szenario ist zu groß (höchstens 1 MB).");
            var json = new string(buffer, 0, read);
            if (string.IsNullOrWhiteSpace(json))
                return Bad("Der Rumpf ist leer: erwartet wird das Szenario als JSON "
                    + "({\"name\": …, \"period\": …, \"changes\": […]}).");
            if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.Ordinal))
                return Results.Problem("Das Szenario muss als application/json gesendet werden.",
                    statusCode: StatusCodes.Status415UnsupportedMediaType);
            if (!KpiScope.TryParse(scope, out var s, out var error)) return Bad(error);
            if (remanent is < 0 or > 1) return Bad("remanent muss zwischen 0 und 1 liegen (z. B. 0.2).");

            var outcome = await engine.RunAsync(json, s, remanent, ct);
            return outcome.Result is { } result
                ? Results.Json(result, KpiExport.Json)
                : Results.Problem(string.Join(" ", outcome.Problems), statusCode: 400,
                    title: "Das Szenario wurde nicht berechnet.",
                    extensions: new Dictionary<string, object?> { ["problems"] = outcome.Problems });
        }).RequireAuthorization(Auth.ApiAdminPolicy).DisableAntiforgery()
            .WithSummary("Compute a consolidation scenario (admins).")
            .Accepts<string>("application/json")
            .Produces<ScenarioResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Produces(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    static IResult Bad(string message) => Results.Problem(message, statusCode: 400,
        title: "Das Szenario wurde nicht berechnet.",
        extensions: new Dictionary<string, object?> { ["problems"] = new[] { message } });
}
