namespace Reporting.Access;

/// <summary>
/// Section "Sessions": admin console and provider portal cookies. A session ends after IdleMinutes without a
/// request, and after AbsoluteHours from sign-in however active it is.
/// </summary>
public sealed class SessionsOptions
{
    public const string Section = "Sessions";

    public double AbsoluteHours { get; set; } = 8;

    public int IdleMinutes { get; set; } = 60;
}
