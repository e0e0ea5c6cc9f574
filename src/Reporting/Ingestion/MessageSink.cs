namespace Reporting.Ingestion;

/// <summary>
/// Collects messages up to a cap; past it only counts, and <see cref="Complete"/> adds one message with the
/// number left out, so a file with a million bad rows gives a readable verdict and bounded memory.
/// </summary>
public sealed class MessageSink(int cap = MessageSink.DefaultCap)
{
    public const int DefaultCap = 1000;   // Uploads:MaxMessages defaults to the same
    public List<ReturnMessage> Messages { get; } = [];
    public int Dropped { get; private set; }
    public int DroppedErrors { get; private set; }
    public bool HasErrors { get; private set; }

    /// <summary>
    /// A cell may hold 32,767 characters; a message quotes at most this many of them (value and text).
    /// </summary>
    public const int MaxQuotedChars = 200;

    public void Add(ReturnMessage m)
    {
        // A huge cell value would otherwise be copied into the message twice (value and text), per message.
        if (m.Value.Length > MaxQuotedChars || m.Text.Length > 4 * MaxQuotedChars)
            m = m with { Value = Shorten(m.Value, MaxQuotedChars), Text = Shorten(m.Text, 4 * MaxQuotedChars) };
        if (m.Severity == Severity.Error) HasErrors = true;
        if (Messages.Count < cap) { Messages.Add(m); return; }
        Dropped++;
        if (m.Severity == Severity.Error) DroppedErrors++;
    }

    static string Shorten(string s, int max) => s.Length <= max
        ? s
        : string.Concat(s.AsSpan(0, max),
            $"… ({s.Length:N0} Zeichen)".Replace(",", ".", StringComparison.Ordinal));

    /// <summary>Takes over what another sink left out past its cap.</summary>
    public void AddDropped(int count, int errors)
    {
        Dropped += count;
        DroppedErrors += errors;
        if (errors > 0) HasErrors = true;
    }

    public void Error(string sheet, string cell, string value, string rule, string text)
        => Add(new(Severity.Error, sheet, cell, value, rule, text));
    public void Warning(string sheet, string cell, string value, string rule, string text)
        => Add(new(Severity.Warning, sheet, cell, value, rule, text));

    /// <summary>Moves everything into <paramref name="target"/>, with the count of what the cap left out.</summary>
    public void Complete(ParsedReturn target)
    {
        target.Messages.AddRange(Messages);
        if (Dropped > 0)
            target.Messages.Add(new(DroppedErrors > 0 ? Severity.Error : Severity.Warning, "", "",
                Dropped.ToString(System.Globalization.CultureInfo.InvariantCulture), "Meldungen.Begrenzt",
                $"Weitere {Dropped:N0} Meldungen (davon {DroppedErrors:N0} Fehler) werden nicht einzeln aufgeführt; "
                    + $"bitte die oben genannten Fehler beheben und erneut hochladen."
                    .Replace(",", ".", StringComparison.Ordinal)));
    }
}
