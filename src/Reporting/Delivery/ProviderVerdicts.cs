using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Ingestion;
using Reporting.Uploads;

namespace Reporting.Delivery;

/// <summary>
/// The verdict mail on a decided return version: accepted or rejected, with every message, and for a rejection the
/// feedback workbook (the provider's own file with each message at its cell). Goes to providers.email; keyed by
/// return version and address, so a retry or a second run mails nobody twice. A workbook over
/// Delivery:MaxAttachmentBytes is not attached (it may be as large as the upload): the mail links to
/// /api/returns/{id}/feedback instead, the download the portal offers too.
/// </summary>
public sealed class ProviderVerdicts(
    NpgsqlDataSource db, ReturnVersions versions, FeedbackStore feedbackStore, DeliveryService deliveries,
    IOptions<DeliveryOptions> options, ILogger<ProviderVerdicts> logger)
{
    /// <summary>
    /// Queues the verdict mail; null (with a log line) when the version has no verdict yet or its provider no address.
    /// </summary>
    public async Task<long?> QueueAsync(long versionId, CancellationToken ct = default)
    {
        var v = await versions.GetAsync(versionId, ct)
            ?? throw new InvalidOperationException($"return version {versionId} does not exist");
        if (v.Status is not (ReturnStates.Accepted or ReturnStates.Rejected or ReturnStates.Superseded))
        {
            logger.LogInformation("Return version {Id} is '{Status}': no verdict to mail yet", versionId, v.Status);
            return null;
        }
        if (v.ProviderCode is null)
        {
            logger.LogInformation("Return version {Id} names no known provider: no verdict mail", versionId);
            return null;
        }
        await using var cmd = db.CreateCommand("select name, email from providers where code = $1");
        cmd.Parameters.Add(new() { Value = v.ProviderCode });
        string name; string? email;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) { logger.LogInformation(
                "Provider {Code} is not registered: no verdict mail for version {Id}", v.ProviderCode,
                    versionId); return null; }
            (name, email) = (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1));
        }
        if (email is null || !MailComposer.IsValidAddress(email))
        {
            logger.LogInformation("Provider {Code} has no valid mail address: verdict on version {Id} not mailed",
                v.ProviderCode, versionId);
            return null;
        }

        var accepted = v.Status != ReturnStates.Rejected;
        var fileProblem = accepted ? null : FileProblem(v.Messages, v.FileName, name, v.Period);
        MailFile? feedback = null;
        FeedbackLink? link = null;
        if (!accepted && fileProblem is null)
        {
            await using var workbook = await feedbackStore.OpenAsync(versionId, ct);
            var fileName = $"Rueckmeldung-{Path.GetFileNameWithoutExtension(v.FileName)}.xlsx";
            if (workbook is not null && workbook.Length <= options.Value.MaxAttachmentBytes)
            {
                var bytes = new byte[workbook.Length];
                await workbook.ReadExactlyAsync(bytes, ct);
                feedback = MailFile.Xlsx(fileName, bytes);
            }
            else if (workbook is not null)
            {
                var url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/returns/{versionId}/feedback";
                link = new FeedbackLink(fileName, url, workbook.Length);
            }
        }
        var verdict = new ProviderVerdict
        {
            ProviderCode = v.ProviderCode, ProviderName = name, Period = v.Period ?? "", Accepted = accepted,
                ReturnVersionId = versionId,
            FileName = v.FileName, FeedbackWorkbook = feedback, FeedbackLink = link, FileProblem = fileProblem,
            Messages = fileProblem is null ? v.Messages.Select(m => m.ToString()).ToList() : [],
        };
        return await deliveries.QueueProviderVerdictAsync(verdict, new MailRecipient(name, email), ct);
    }

    /// <summary>
    /// The one sentence for a file that the first check refused to open (rule "Datei..."); null when the workbook
    /// was read and its messages point at cells.
    /// </summary>
    static string? FileProblem(IReadOnlyList<ReturnMessage> messages, string fileName, string providerName,
        string? period)
    {
        if (messages.FirstOrDefault(m => m.Severity == Severity.Error && IsFileRule(m.Rule)) is not { } m) return null;
        var whose = string.IsNullOrEmpty(period) ? providerName : $"{providerName}, Zeitraum {period}";
        var file = $"Ihre Datei „{Path.GetFileName(fileName)}“ ({whose})";
        var what = m.Rule switch
        {
            "Datei.Typ" => "ist keine Excel-Arbeitsmappe (.xlsx)",
            "Datei.Leer" => "ist leer",
            "Datei.Defekt" => "ist beschädigt oder keine gültige Excel-Arbeitsmappe",
            _ => null,
        };
        return what is null
            ? $"{file} wurde nicht geprüft: {m.Text}"
            : $"{file} {what} und wurde daher nicht geprüft; bitte laden Sie die ausgefüllte Vorlage "
              + "als .xlsx-Datei hoch.";
    }

    static bool IsFileRule(string rule) => rule == "Datei" || rule.StartsWith("Datei.", StringComparison.Ordinal);
}
