namespace Reporting.Uploads;

/// <summary>
/// The states of a return version (return_versions.status; the check constraint in data/schema/002_returns.sql
/// lists the same values). An upload creates a version 'received'; ingestion decides it.
/// </summary>
public static class ReturnStates
{
    public const string Received = "received";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Superseded = "superseded";

    public static readonly IReadOnlyList<string> All = [Received, Accepted, Rejected, Superseded];
}
