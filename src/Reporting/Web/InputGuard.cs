using Npgsql;

namespace Reporting.Web;

/// <summary>
/// Bad input never reaches PostgreSQL as a 500: control characters (NUL among them) in the path or the query string
/// are refused with 400 and a problem body before routing; a data exception PostgreSQL still raises for a
/// request's values (class 22, e.g. 22021 for a NUL byte) becomes 400 too, logged without reaching the caller; a
/// parameter that does not bind gets the same problem body.
/// </summary>
public static class InputGuard
{
    public static bool HasControlChars(string? text) => text is not null && text.Any(char.IsControl);

    public static IResult BadInput() =>
        Results.Problem("Die Anfrage enthält ungültige Zeichen oder Werte.",
            statusCode: StatusCodes.Status400BadRequest);

    public static void UseInputGuard(this WebApplication app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (HasControlChars(request.Path.Value)
            || request.Query.Any(q => HasControlChars(q.Key) || q.Value.Any(HasControlChars)))
        {
            await BadInput().ExecuteAsync(http);
            return;
        }
        try
        {
            await next(http);
            // A value that does not bind (snapshot=abc) leaves a bare 400: give it the problem body too.
            if (http.Response is { StatusCode: 400, HasStarted: false, ContentType: null or "" })
                await BadInput().ExecuteAsync(http);
        }
        catch (PostgresException e)
            when (e.SqlState.StartsWith("22", StringComparison.Ordinal) && !http.Response.HasStarted)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InputGuard))
                .LogWarning("Request {Path} refused: PostgreSQL data exception {SqlState}", request.Path, e.SqlState);
            http.Response.Clear();
            await BadInput().ExecuteAsync(http);
        }
    });
}
