namespace Reporting.Uploads;

/// <summary>Section "Uploads": limits of the returns API.</summary>
public sealed class UploadsOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest accepted upload; a return template filled for a big provider stays far below this.</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Failed API-key attempts allowed per client address within <see cref="FailedKeyWindowMinutes"/>; then 429.</summary>
    public int MaxFailedKeyAttempts { get; set; } = 10;

    public int FailedKeyWindowMinutes { get; set; } = 15;
}
