using Reporting.Ingestion;
using Reporting.Kpis;

namespace Reporting.Web;

// The API's JSON answers as the OpenAPI document describes them. The endpoints write the same fields (anonymous
// objects); OpenApiTests compares a real answer with each schema, so the two cannot drift apart unnoticed.

/// <summary>POST /api/returns: 202 (received, checked in the background) or 200 (the same bytes are known).</summary>
sealed record ReturnReceipt(long Id, string Status, string StatusUrl, bool Recognised);

/// <summary>GET /api/returns/{id}: a return version, its state and its messages.</summary>
sealed record ReturnStatus(long Id, string Status, string? Provider, string? Period, int? Version, string FileName,
    long SizeBytes, string Sha256, string SubmittedBy, DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt,
    long? SupersededBy, int Errors, int Warnings, IReadOnlyList<ReturnStatusMessage> Messages, string FeedbackUrl,
    string ChangesUrl);

/// <summary>One message of a verdict: severity "error" or "warning", sheet and cell, the value, rule, text.</summary>
sealed record ReturnStatusMessage(string Severity, string Sheet, string Cell, string Value, string Rule, string Text);

/// <summary>GET /api/returns/{id}/changes: the facts that differ from the provider's previous version.</summary>
sealed record ReturnChanges(long Id, long? PreviousVersionId, IReadOnlyList<FactChange> Changes);

/// <summary>GET /api/kpis: the snapshot as the caller may see it, with the definitions of its KPIs.</summary>
sealed record KpisAnswer(KpiSnapshot Snapshot, IReadOnlyList<KpisAnswerDefinition> Kpis);

sealed record KpisAnswerDefinition(string Id, string Name, string Definition, string Unit, string Direction,
    List<string> Dimensions, KpiThresholds? Thresholds, KpiReference? Reference);
