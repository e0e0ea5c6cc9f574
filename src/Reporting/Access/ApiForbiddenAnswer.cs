using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Reporting.Access;

/// <summary>
/// A caller the API knows but does not allow (a provider's key on an admin route) gets 403 with a German problem
/// body, as the API documents it; pages and everything else are answered by the schemes as usual.
/// </summary>
sealed class ApiForbiddenAnswer : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler schemes = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden && context.Request.Path.StartsWithSegments("/api")
            ? Results.Problem("Diese Funktion ist nur für Admins freigegeben.",
                statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context)
            : schemes.HandleAsync(next, context, policy, authorizeResult);
}
