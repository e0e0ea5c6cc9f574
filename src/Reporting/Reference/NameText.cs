using System.Globalization;

namespace Reporting.Reference;

/// <summary>
/// Names and mail addresses are one line of plain text. Every door that takes one in (command line, admin pages,
/// reference import, job files) refuses a value with a character that breaks a line, a mail header, a CSV row or
/// the order in which text is shown: control characters (C0 with tab, CR and LF; DEL; C1, NEL among them), the
/// line and paragraph separators U+2028/U+2029, the bidirectional embeddings, overrides and isolates
/// (U+202A-U+202E, U+2066-U+2069), and lone UTF-16 surrogates. Here, in the lowest folder that takes names in, so
/// that every door uses the same rule.
/// </summary>
public static class NameText
{
    /// <summary>The first character <paramref name="text"/> must not contain, or null when it is plain text.</summary>
    public static char? Forbidden(string? text)
    {
        if (text is null) return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (IsForbidden(c)) return c;
        }
        return null;
    }

    public static bool IsPlain(string? text) => Forbidden(text) is null;

    /// <summary>"U+000A", as the messages name the character (it cannot be shown itself).</summary>
    public static string CodeOf(char c) => $"U+{(int)c:X4}";

    /// <summary>
    /// German, for pages and forms: "enthält ein unzulässiges Steuerzeichen (U+000A)", or null when plain.
    /// </summary>
    public static string? ProblemGerman(string? text) => Forbidden(text) is { } c
        ? $"enthält ein unzulässiges Steuer- oder Umbruchzeichen ({CodeOf(c)})" : null;

    /// <summary>
    /// English, for the command line and logs: "contains a control or line-break character (U+000A)".
    /// </summary>
    public static string? Problem(string? text) => Forbidden(text) is { } c
        ? $"contains a control or line-break character ({CodeOf(c)})" : null;

    static bool IsForbidden(char c) =>
        char.IsControl(c) || char.IsSurrogate(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator
        || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
