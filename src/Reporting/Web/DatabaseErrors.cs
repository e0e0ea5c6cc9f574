using Microsoft.Extensions.Logging;
using Npgsql;

namespace Reporting.Web;

/// <summary>
/// A request that fails in the database (outage, a refused statement) is answered with one neutral German sentence,
/// 503 for the API as a problem body and for the pages as HTML; PostgreSQL's own message (tables, constraints, key
/// values) goes to the log only.
/// </summary>
public static class DatabaseErrors
{
    public const string Sentence =
        "Der Dienst kann Ihre Anfrage gerade nicht bearbeiten, weil die Datenbank nicht verfügbar ist oder die "
        + "Anfrage abgelehnt hat. Bitte versuchen Sie es später erneut.";

    public static void UseDatabaseErrors(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseErrors));
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (NpgsqlException e) when (!http.Response.HasStarted)
            {
                log.LogError(e, "Request {Method} {Path} failed in the database ({SqlState})",
                    http.Request.Method, http.Request.Path, (e as PostgresException)?.SqlState ?? "connection");
                http.Response.Clear();
                var answer = http.Request.Path.StartsWithSegments("/api")
                    ? Results.Problem(Sentence, statusCode: StatusCodes.Status503ServiceUnavailable,
                        title: "Datenbank nicht verfügbar")
                    : HtmlPage.Html(HtmlPage.Layout("Nicht verfügbar", $"<p>{HtmlPage.H(Sentence)}</p>", ""),
                        StatusCodes.Status503ServiceUnavailable);
                await answer.ExecuteAsync(http);
            }
        });
    }
}
