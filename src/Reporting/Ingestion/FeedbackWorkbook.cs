namespace Reporting.Ingestion;

/// <summary>The provider's own workbook with the offending cells highlighted and commented, plus a list of all messages.</summary>
public static class FeedbackWorkbook
{
    public static byte[] Create(byte[] original, string fileName, ParsedReturn parsed) =>
        throw new NotImplementedException("the feedback workbook is not built yet");
}
