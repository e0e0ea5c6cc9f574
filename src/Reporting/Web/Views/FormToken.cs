using Microsoft.AspNetCore.Antiforgery;

namespace Reporting.Web.Views;

/// <summary>The anti-forgery field a page's forms carry (stored in the cookie by <see cref="For"/>).</summary>
public sealed record FormToken(string FieldName, string Value)
{
    public static FormToken For(HttpContext http, IAntiforgery af)
    {
        var tokens = af.GetAndStoreTokens(http);
        return new FormToken(tokens.FormFieldName, tokens.RequestToken!);
    }
}
