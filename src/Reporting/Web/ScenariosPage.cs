using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Reporting.Access;
using Reporting.Kpis;
using Reporting.Reports;
using Reporting.Scenarios;
using Reporting.Web.Views;
using Reporting.Web.Views.Admin;
using static Reporting.Web.HtmlPage;

namespace Reporting.Web;

/// <summary>
/// The admin page for scenarios: GET /admin/scenarios shows the form (the demo's merger as a start), POST computes
/// it with <see cref="ScenarioEngine"/> and shows the key figures of both estimates with their assumptions, or the
/// German sentences of what stopped it.
/// </summary>
public static class ScenariosPage
{
    /// <summary>The rows the page shows: cost and structure figures by NRW, provider and service.</summary>
    static readonly (string Kpi, string[] Dimensions)[] KeyFigures =
    [
        ("total_cost", ["nrw", "provider"]), ("cost_per_workstation", ["nrw", "provider"]),
        ("cost_per_inhabitant", ["nrw"]), ("consolidation_potential", ["nrw"]),
        ("providers_per_municipality", ["nrw"]), ("hhi_workstations", ["service"]), ("ozg_online_rate", ["nrw"]),
        ("returns_received", ["nrw"]),
    ];

    const string Start = """
        {"name": "Fusion KDZA und ITVB", "period": "2025", "remanentShare": 0.2,
         "changes": [{"merge": ["KDZA", "ITVB"], "into": "KDZA"}]}
        """;

    public static void MapScenariosPage(this WebApplication app)
    {
        var page = app.MapGroup("/admin/scenarios").RequireAuthorization(Auth.AdminPolicy).ExcludeFromDescription();
        page.MapGet("", (HttpContext http, IAntiforgery af) =>
            View<ScenarioPage>(new { Token = FormToken.For(http, af), Json = Start }));
        page.MapPost("", async (HttpContext http, IAntiforgery af, ScenarioEngine engine, KpiCatalogue catalogue,
            CancellationToken ct) =>
        {
            if (!await af.IsRequestValidAsync(http)) return Results.BadRequest(
                "Ungültiges Formular (Anti-Forgery-Token).");
            var form = await http.Request.ReadFormAsync(ct);
            var json = form["json"].ToString();
            var scopeText = form["scope"].ToString().Trim();
            var remanentText = form["remanent"].ToString().Trim();
            var problems = new List<string>();
            if (!KpiScope.TryParse(scopeText, out var scope, out var scopeError)) problems.Add(scopeError);
            decimal? remanent = null;
            if (remanentText.Length > 0)
            {
                if (decimal.TryParse(remanentText.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture,
                    out var share) && share is >= 0 and <= 1) remanent = share;
                else problems.Add("Der Remanenzanteil muss eine Zahl zwischen 0 und 1 sein (z. B. 0,2).");
            }
            ScenarioResult? result = null;
            if (problems.Count == 0)
            {
                var outcome = await engine.RunAsync(json, scope, remanent, ct);
                problems.AddRange(outcome.Problems);
                result = outcome.Result;
            }
            return View<ScenarioPage>(new
            {
                Token = FormToken.For(http, af), Json = json, Scope = scopeText.Length == 0 ? "nrw" : scopeText,
                Remanent = remanentText, Problems = problems, Result = result,
                Rows = result is null ? [] : Rows(result, catalogue),
            }, problems.Count > 0 ? 400 : 200);
        }).DisableAntiforgery();
    }

    static List<ScenarioPage.ValueRow> Rows(ScenarioResult r, KpiCatalogue catalogue)
    {
        var low = r.Estimates[0];
        var high = r.Estimates[^1];
        var rows = new List<ScenarioPage.ValueRow>();
        foreach (var (kpi, dims) in KeyFigures)
        {
            var k = catalogue.Find(kpi);
            if (k is null) continue;
            foreach (var v in low.Values.Where(v => v.Kpi == kpi && dims.Contains(v.Dimension)))
            {
                var h = high.Find(v.Kpi, v.Dimension, v.Slice);
                rows.Add(new(k.Name, v.Label, GermanFormat.Value(v.Baseline, k.Unit),
                    GermanFormat.Value(v.Scenario, k.Unit), Delta(v, k.Unit), GermanFormat.Value(h?.Scenario, k.Unit),
                    h is null ? "–" : Delta(h, k.Unit)));
            }
        }
        return rows;
    }

    static string Delta(ScenarioValue v, string unit) => v.Scenario is null || v.Baseline is null ? "–"
        : GermanFormat.Change(v.Scenario, v.Baseline, unit);
}
