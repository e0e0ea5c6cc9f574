using System.IO.Compression;
using Reporting.Ingestion.Feedback;
using Reporting.Ingestion.Xlsx;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <summary>
/// The provider's own workbook with the offending cells highlighted and commented, plus a first sheet
/// "Meldungen" listing every message with a link to its cell. Built without a DOM over the provider's file: the
/// package is checked again (file check), then copied entry by entry with the worksheets streamed, every part it
/// parses read under the upload limits (<see cref="FeedbackPackage"/>), so time and memory grow with the file, not
/// with its shape.
/// When the original cannot be opened (not a workbook, refused for safety) the result holds only the messages
/// sheet and says why.
/// </summary>
public static class FeedbackWorkbook
{
    public const string MessagesSheet = "Meldungen";
    const string NotOpened = "Die hochgeladene Datei konnte nicht geöffnet werden; daher enthält diese Rückmeldung "
        + "nur die Liste der Meldungen.";
    const string NotAnnotated = "Die hochgeladene Datei konnte für die Markierung nicht geöffnet werden; daher "
        + "enthält diese Rückmeldung nur die Liste der Meldungen.";

    public static byte[] Create(byte[] original, string fileName, ParsedReturn parsed, UploadsOptions? limits = null)
    {
        using var output = new MemoryStream();
        Write(new MemoryStream(original, writable: false), fileName, parsed, output, limits);
        return output.ToArray();
    }

    /// <param name="original">The provider's file, seekable (a zip is read from its end).</param>
    public static void Write(Stream original, string fileName, ParsedReturn parsed, Stream output,
        UploadsOptions? limits = null)
    {
        if (parsed.Messages.Any(m => m.Rule.StartsWith("Datei", StringComparison.Ordinal))
            || !Opens(original, fileName, limits ?? new UploadsOptions()))
        {
            FeedbackPackage.WriteMessagesOnly(output, fileName, parsed, NotOpened);
            return;
        }
        var start = output.Position;
        try
        {
            original.Position = 0;
            using var source = new ZipArchive(original, ZipArchiveMode.Read, leaveOpen: true);
            FeedbackPackage.Annotate(source, output, fileName, parsed,
                new XlsxLimits(limits ?? new UploadsOptions()));
        }
        catch (XlsxRefusedException)
        {
            // Over a limit (lowered since the verdict, say): refused for safety, as validation refuses it.
            output.SetLength(start);
            output.Position = start;
            FeedbackPackage.WriteMessagesOnly(output, fileName, parsed, NotOpened);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // A package the copy cannot follow (malformed part, odd structure): the provider still gets the list.
            output.SetLength(start);
            output.Position = start;
            FeedbackPackage.WriteMessagesOnly(output, fileName, parsed, NotAnnotated);
        }
    }

    /// <summary>
    /// The same file check as validation (the limits may have changed since): nothing else opens the file before it.
    /// </summary>
    static bool Opens(Stream original, string fileName, UploadsOptions limits) =>
        ReturnFileCheck.Check(original, fileName, limits, new MessageSink(1), out _);
}
