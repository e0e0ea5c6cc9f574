using System.IO.Compression;
using System.Xml;
using Reporting.Uploads;

namespace Reporting.Ingestion.Xlsx;

/// <summary>
/// A limit of the upload limits (<see cref="UploadsOptions"/>) broken, or a part that is not well-formed XML: a
/// German verdict (rule, value, text) for the provider, never a half-read return.
/// </summary>
public sealed class XlsxRefusedException(string part, string rule, string value, string text)
    : Exception($"{rule} in {part}: {value}")
{
    public string Part { get; } = part;
    public string Rule { get; } = rule;
    public string Value { get; } = value;
    public string Text { get; } = text;
}

/// <summary>
/// The one limit model for everything that opens a part of an uploaded package (the workbook reader, type detection,
/// template marker, feedback): each part is opened through <see cref="Open"/>, whose reader checks nesting depth,
/// elements (all parts of the package together), attributes per element and the length of every text node as it
/// reads; the readers count shared strings, their characters and sheets here, and bound text they join from several
/// nodes with <see cref="CheckText"/>. One instance per package and pass.
/// </summary>
public sealed class XlsxLimits(UploadsOptions options)
{
    const string Refusal = " Die Datei wird aus Sicherheitsgründen nicht geöffnet.";

    long elements, sharedStrings, sharedChars, sheets;

    public UploadsOptions Options { get; } = options;

    /// <summary>A part as a limited XmlReader (no DTD, no resolver; comments, PIs and whitespace skipped).</summary>
    public XmlReader Open(ZipArchiveEntry entry, XmlNameTable? names = null)
    {
        Stream stream = new MarkupGuardStream(entry.Open(), this, entry.FullName);
        try
        {
            return new LimitedXmlReader(XmlReader.Create(stream, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                IgnoreWhitespace = true,
                NameTable = names,
                CloseInput = true,
            }), this, entry.FullName);
        }
        catch { stream.Dispose(); throw; }
    }

    internal void Element(string part, int depth, int attributes)
    {
        if (depth >= Options.MaxXmlDepth)
            throw new XlsxRefusedException(part, "Datei.Verschachtelung", $"{depth:N0}",
                $"Der Teil „{part}“ ist tiefer verschachtelt als erlaubt ({Options.MaxXmlDepth:N0} Ebenen)."
                    + Refusal);
        if (++elements > Options.MaxXmlElements)
            throw new XlsxRefusedException(part, "Datei.Elemente", $"{elements:N0}",
                $"Die Datei enthält mehr als {Options.MaxXmlElements:N0} XML-Elemente." + Refusal);
        if (attributes > Options.MaxXmlAttributes)
            throw new XlsxRefusedException(part, "Datei.Attribute", $"{attributes:N0}",
                $"Ein Element im Teil „{part}“ hat mehr als {Options.MaxXmlAttributes:N0} Attribute." + Refusal);
    }

    /// <summary>A text of <paramref name="length"/> characters (one node, or the nodes of one value joined).</summary>
    public void CheckText(string part, long length)
    {
        if (length > Options.MaxTextNodeChars)
            throw new XlsxRefusedException(part, "Datei.Textlaenge", $"{length:N0}",
                $"Ein Text im Teil „{part}“ ist länger als {Options.MaxTextNodeChars:N0} Zeichen (mehr, als eine "
                    + "Excel-Zelle fasst)." + Refusal);
    }

    /// <summary>One more shared string of <paramref name="chars"/> characters.</summary>
    public void SharedString(string part, int chars)
    {
        if (++sharedStrings > Options.MaxSharedStrings)
            throw new XlsxRefusedException(part, "Datei.Texte", $"{sharedStrings:N0}",
                $"Die Datei enthält mehr als {Options.MaxSharedStrings:N0} gemeinsame Texte (sharedStrings)."
                    + Refusal);
        if ((sharedChars += chars) > Options.MaxSharedStringChars)
            throw new XlsxRefusedException(part, "Datei.Texte", $"{sharedChars:N0}",
                $"Die gemeinsamen Texte der Datei sind zusammen länger als {Options.MaxSharedStringChars:N0} "
                    + "Zeichen." + Refusal);
    }

    /// <summary>One more sheet listed in the workbook part.</summary>
    public void Sheet(string part)
    {
        if (++sheets > Options.MaxSheets)
            throw new XlsxRefusedException(part, "Datei.Blaetter", $"{sheets:N0}",
                $"Die Arbeitsmappe hat mehr als {Options.MaxSheets:N0} Blätter (die Vorlage hat sechs)." + Refusal);
    }

    /// <summary>
    /// Bytes without a '&lt;' that a part may hold in a row: a text node of the text limit written with the longest
    /// character references (&amp;#x10FFFF; for two chars) fits, a start tag with an attribute value of millions of
    /// characters (which the parser would hold whole) does not.
    /// </summary>
    internal long MaxBytesWithoutMarkup => 8L * Options.MaxTextNodeChars + 4096;

    internal XlsxRefusedException TooLongWithoutMarkup(string part) =>
        new(part, "Datei.Textlaenge", $"{MaxBytesWithoutMarkup:N0}",
            $"Der Teil „{part}“ enthält einen Text, ein Attribut oder Leerraum von mehr als "
                + $"{MaxBytesWithoutMarkup:N0} Bytes am Stück (mehr, als eine Excel-Zelle fasst)." + Refusal);

    internal static XlsxRefusedException Malformed(string part, XmlException e) =>
        new(part, "Datei.Defekt", part,
            $"Der Teil „{part}“ der Arbeitsmappe ist kein gültiges XML (Zeile {e.LineNumber:N0}, Spalte "
                + $"{e.LinePosition:N0}). Die Datei ist beschädigt oder wurde nicht von einem Tabellenprogramm "
                + "gespeichert.");
}

/// <summary>
/// The bytes of a part as the XML parser reads them, refused once more than
/// <see cref="XlsxLimits.MaxBytesWithoutMarkup"/> of them pass without a '&lt;': the parser holds a start tag whole
/// (attribute values, names), so this bounds what no reader of the parsed nodes could. '&lt;' cannot stand inside
/// an attribute value or text, so every tag and text node is shorter than that distance.
/// </summary>
sealed class MarkupGuardStream(Stream inner, XlsxLimits limits, string part) : Stream
{
    readonly long max = limits.MaxBytesWithoutMarkup;
    long sinceMarkup;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        var read = buffer[..n];
        var first = read.IndexOf((byte)'<');
        if (first < 0)
        {
            if ((sinceMarkup += n) > max) throw limits.TooLongWithoutMarkup(part);
            return n;
        }
        if (sinceMarkup + first > max) throw limits.TooLongWithoutMarkup(part);
        if (n > max)
        {
            // A chunk longer than the limit: each gap within it (readers ask for a few KB; this is the rare case).
            var rest = read[(first + 1)..];
            for (int next; (next = rest.IndexOf((byte)'<')) >= 0; rest = rest[(next + 1)..])
                if (next > max) throw limits.TooLongWithoutMarkup(part);
        }
        sinceMarkup = n - 1 - read.LastIndexOf((byte)'<');
        if (sinceMarkup > max) throw limits.TooLongWithoutMarkup(part);
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// An XmlReader over one part that enforces <see cref="XlsxLimits"/> while it reads: every element is counted and
/// checked (depth, attributes) when the reader reaches it, also inside skipped subtrees; every text node is read
/// into a buffer of at most the text limit before anyone sees it, so no text node is ever held whole by the parser.
/// Not well-formed XML becomes a <see cref="XlsxRefusedException"/> naming the part.
/// </summary>
sealed class LimitedXmlReader(XmlReader inner, XlsxLimits limits, string part) : XmlReader, IXmlLineInfo
{
    char[] text = new char[256];
    int textLength = -1, served;
    readonly int maxText = limits.Options.MaxTextNodeChars;

    public string Part => part;

    public override bool Read()
    {
        textLength = -1;
        try
        {
            if (!inner.Read()) return false;
            switch (inner.NodeType)
            {
                case XmlNodeType.Element:
                    limits.Element(part, inner.Depth, inner.AttributeCount);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace
                    or XmlNodeType.SignificantWhitespace:
                    BufferText();
                    break;
            }
            return true;
        }
        catch (XmlException e) { throw XlsxLimits.Malformed(part, e); }
    }

    void BufferText()
    {
        var length = 0;
        int n;
        do
        {
            if (length == text.Length)
            {
                if (length > maxText) limits.CheckText(part, length);
                Array.Resize(ref text, (int)Math.Min((long)maxText + 1, 2L * text.Length));
            }
            n = inner.ReadValueChunk(text, length, text.Length - length);
            length += n;
        }
        while (n > 0);
        limits.CheckText(part, length);
        textLength = length;
        served = 0;
    }

    bool OnText => textLength >= 0 && inner.NodeType is XmlNodeType.Text or XmlNodeType.CDATA
        or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace;

    public override string Value => OnText ? new string(text, served, textLength - served) : inner.Value;
    public override bool HasValue => inner.HasValue;
    public override bool CanReadValueChunk => true;

    public override int ReadValueChunk(char[] buffer, int index, int count)
    {
        if (!OnText) return inner.ReadValueChunk(buffer, index, count);
        var n = Math.Min(count, textLength - served);
        Array.Copy(text, served, buffer, index, n);
        served += n;
        return n;
    }

    public override void Skip()
    {
        try { base.Skip(); }
        catch (XmlException e) { throw XlsxLimits.Malformed(part, e); }
    }

    public override int AttributeCount => inner.AttributeCount;
    public override string BaseURI => inner.BaseURI;
    public override int Depth => inner.Depth;
    public override bool EOF => inner.EOF;
    public override bool IsEmptyElement => inner.IsEmptyElement;
    public override string LocalName => inner.LocalName;
    public override string Name => inner.Name;
    public override string NamespaceURI => inner.NamespaceURI;
    public override XmlNameTable NameTable => inner.NameTable;
    public override XmlNodeType NodeType => inner.NodeType;
    public override string Prefix => inner.Prefix;
    public override ReadState ReadState => inner.ReadState;
    public override bool IsDefault => inner.IsDefault;
    public override XmlSpace XmlSpace => inner.XmlSpace;
    public override string XmlLang => inner.XmlLang;
    public override XmlReaderSettings? Settings => inner.Settings;
    public override string GetAttribute(int i) => inner.GetAttribute(i);
    public override string? GetAttribute(string name) => inner.GetAttribute(name);
    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);
    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);
    public override void MoveToAttribute(int i) => inner.MoveToAttribute(i);
    public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);
    public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);
    public override bool MoveToElement() => inner.MoveToElement();
    public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();
    public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();
    public override bool ReadAttributeValue() => inner.ReadAttributeValue();
    public override void ResolveEntity() => inner.ResolveEntity();

    public bool HasLineInfo() => inner is IXmlLineInfo { } info && info.HasLineInfo();
    public int LineNumber => inner is IXmlLineInfo info ? info.LineNumber : 0;
    public int LinePosition => inner is IXmlLineInfo info ? info.LinePosition : 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
