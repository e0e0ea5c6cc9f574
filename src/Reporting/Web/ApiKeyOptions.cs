namespace Reporting.Web;

/// <summary>Section "ApiKeys": how many failed API-key attempts a client address may make before it gets 429.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    public int MaxFailedAttempts { get; set; } = 10;

    public int FailedWindowMinutes { get; set; } = 15;
}
