using Microsoft.AspNetCore.Antiforgery;
using Npgsql;
using Reporting.Reference;

namespace Reporting.Web;

/// <summary>
/// Bad input never reaches PostgreSQL as a 500: control characters (NUL among them) in the path or the query string
/// are refused with 400 and a problem body before routing; a data exception PostgreSQL still raises for a
/// request's values (class 22, e.g. 22021 for a NUL byte) becomes 400 too, logged without reaching the caller; a
/// parameter that does not bind gets the same problem body. A body that cannot be read (cut short, a form without
/// its multipart boundary, a form over its limits) is a 400 or 413 with a German sentence, wherever it is read:
/// the API, the portal and the admin forms alike (see <see cref="BodyProblem"/>).
/// </summary>
public static class InputGuard
{
    /// <summary>One rule for every door: the characters names may not carry may not stand in a path, a query or
    /// a file name either (<see cref="NameText"/>).</summary>
    public static bool HasControlChars(string? text) => !NameText.IsPlain(text);

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
        catch (Exception e) when (!http.Response.HasStarted && BodyProblem(e) is { } problem)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InputGuard))
                .LogInformation("Request {Path} refused with {Status}: its body could not be read ({Reason})",
                    request.Path, problem.Status, e.InnerException?.Message ?? e.Message);
            http.Response.Clear();
            await Results.Problem(problem.Detail, statusCode: problem.Status).ExecuteAsync(http);
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

    public const string TooLargeText = "Die Anfrage ist zu groß.";

    /// <summary>
    /// What a failure while reading the request body means for the caller: status and German sentence, or null when
    /// the exception is not about the request's bytes (then it stays a server error). Kestrel reports a body cut
    /// short or over MaxRequestBodySize as BadHttpRequestException; the form and multipart readers (assembly
    /// Microsoft.AspNetCore.WebUtilities or .Http) throw InvalidDataException for a malformed form or one over a
    /// FormOptions limit, and IOException for a multipart body that ends before its closing boundary; the
    /// anti-forgery check, which reads the form first, wraps either.
    /// </summary>
    public static (int Status, string Detail)? BodyProblem(Exception e) => e switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, TooLargeText),
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => (408,
            "Die Anfrage kam zu langsam an und wurde abgebrochen. Bitte erneut senden."),
        BadHttpRequestException => (400, Incomplete),
        AntiforgeryValidationException { InnerException: { } inner } => BodyProblem(inner),
        InvalidDataException when FromFormReader(e) && IsOverLimit(e) => (413, TooLargeText),
        InvalidDataException when FromFormReader(e) => (400,
            "Das Formular ist fehlerhaft aufgebaut (z. B. multipart/form-data ohne boundary)."),
        IOException when FromFormReader(e) => (400, Incomplete),
        _ => null,
    };

    /// <summary>A form over one of its size limits (FormOptions: body, value, key, count, headers, line).</summary>
    public static bool IsTooLarge(Exception e) => BodyProblem(e) is (413, _);

    const string Incomplete =
        "Die Anfrage ist unvollständig oder beschädigt (ihr Inhalt endete vorzeitig). Bitte erneut senden.";

    static bool FromFormReader(Exception e) =>
        e.Source is "Microsoft.AspNetCore.WebUtilities" or "Microsoft.AspNetCore.Http";

    // The readers' messages name the limit ("Form value length limit 4194304 exceeded."); a boundary over its
    // length limit is a malformed header, not a large body.
    static bool IsOverLimit(Exception e) =>
        e.Message.Contains(" limit ", StringComparison.Ordinal)
        && e.Message.Contains("exceeded", StringComparison.Ordinal)
        && !e.Message.Contains("boundary", StringComparison.OrdinalIgnoreCase);
}
