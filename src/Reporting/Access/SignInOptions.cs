using System.ComponentModel.DataAnnotations;

namespace Reporting.Access;

/// <summary>
/// Section "SignIn": the failure limiter shared by admin sign-in, portal sign-in and API keys. Failures count per
/// client address in a sliding window; from the first failure past FreeAttempts each answer from that address is
/// delayed, doubling up to MaxDelaySeconds; at MaxFailedAttempts the address is locked out (429) — except that a
/// valid provider key always works, so a busy address (a NAT) never locks out its honest users. The admin account
/// itself is never locked: its failures from all addresses are counted (AdminSignInFailures), logged at every
/// MaxFailedAttempts and shown on the admin start page.
/// </summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    [Range(1, 10_000)]

    public int MaxFailedAttempts { get; set; } = 10;

    [Range(1, 10_080)]

    public int FailedWindowMinutes { get; set; } = 15;

    [Range(0, 10_000)]

    public int FreeAttempts { get; set; } = 3;

    [Range(0, 60_000)]

    public int DelayMilliseconds { get; set; } = 250;

    [Range(0, 3600)]

    public int MaxDelaySeconds { get; set; } = 4;
}
