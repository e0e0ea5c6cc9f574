using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Reporting.Access;

namespace Reporting.Web;

/// <summary>
/// Hangfire's own gate for /hangfire: the request must carry a valid admin cookie with the admin role.
/// Anonymous users and providers (API key or portal cookie) are refused.
/// </summary>
public sealed class AdminDashboardAuthorizationFilter : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(Auth.AdminCookieScheme);
        return result.Succeeded && result.Principal.IsAdmin();
    }
}
