using System.ComponentModel.DataAnnotations;

namespace Reporting.Access;

/// <summary>
/// Section "Sessions": admin console and provider portal cookies. A session ends after IdleMinutes without a
/// request, and after AbsoluteHours from sign-in however active it is.
/// </summary>
public sealed class SessionsOptions
{
    public const string Section = "Sessions";

    [Range(0.001, 8760.0)]

    public double AbsoluteHours { get; set; } = 8;

    [Range(1, 525_600)]

    public int IdleMinutes { get; set; } = 60;
}
