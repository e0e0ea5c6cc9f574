using System.IO.Compression;
using System.Xml;
using Reporting.Uploads;

namespace Reporting.Ingestion.Xlsx;

/// <summary>
/// Every XML part of an upload read once by a plain XmlReader under limits, before any other reader or any DOM
/// sees it: nesting depth, elements, attributes per element, shared strings (count and characters), the length of
/// one shared or inline string's text node, and sheets.
/// XmlReader keeps no recursion and only the open elements, so the scan itself is bounded by the depth limit.
/// A part that is not well-formed is left to the readers after it (they report it); only limits are decided here.
/// </summary>
public static class XlsxPrescan
{
    public sealed record Finding(string Part, string Rule, string Value, string Text);

    /// <summary>The first limit the package breaks, or null when every part keeps them all.</summary>
    public static Finding? Scan(ZipArchive zip, UploadsOptions limits)
    {
        long elements = 0, sharedStrings = 0, sharedChars = 0, sheets = 0;
        var chunk = new char[4096];
        foreach (var entry in zip.Entries)
        {
            if (!LooksLikeXml(entry)) continue;
            using var xml = XmlReader.Create(entry.Open(), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true,
                IgnoreComments = true, IgnoreProcessingInstructions = true, IgnoreWhitespace = true,
            });
            var root = "";
            // In a <t>: the text of a shared or inline string (or a run of one), held whole by the readers after this.
            var inText = false;
            try
            {
                while (xml.Read())
                {
                    switch (xml.NodeType)
                    {
                        case XmlNodeType.EndElement:
                            inText = false;
                            break;
                        case XmlNodeType.Element:
                            inText = xml.LocalName == "t" && !xml.IsEmptyElement;
                            if (xml.Depth >= limits.MaxXmlDepth)
                                return new(entry.FullName, "Datei.Verschachtelung", $"{xml.Depth:N0}",
                                    $"Der Teil „{entry.FullName}“ ist tiefer verschachtelt als erlaubt "
                                        + $"({limits.MaxXmlDepth:N0} Ebenen). Die Datei wird aus Sicherheitsgründen "
                                            + $"nicht geöffnet.");
                            if (++elements > limits.MaxXmlElements)
                                return new(entry.FullName, "Datei.Elemente", $"{elements:N0}",
                                    $"Die Datei enthält mehr als {limits.MaxXmlElements:N0} XML-Elemente. Die Datei "
                                        + $"wird aus Sicherheitsgründen nicht geöffnet.");
                            if (xml.AttributeCount > limits.MaxXmlAttributes)
                                return new(entry.FullName, "Datei.Attribute", $"{xml.AttributeCount:N0}",
                                    $"Ein Element im Teil „{entry.FullName}“ hat mehr als "
                                        + $"{limits.MaxXmlAttributes:N0} Attribute. Die Datei wird aus "
                                            + $"Sicherheitsgründen nicht geöffnet.");
                            if (xml.Depth == 0) root = xml.LocalName;
                            else if (xml.Depth == 1 && root == "sst" && xml.LocalName == "si"
                                && ++sharedStrings > limits.MaxSharedStrings)
                                return new(entry.FullName, "Datei.Texte", $"{sharedStrings:N0}",
                                    $"Die Datei enthält mehr als {limits.MaxSharedStrings:N0} gemeinsame Texte "
                                        + $"(sharedStrings). Die Datei wird aus Sicherheitsgründen nicht geöffnet.");
                            else if (xml.Depth == 2 && root == "workbook" && xml.LocalName == "sheet"
                                && ++sheets > limits.MaxSheets)
                                return new(entry.FullName, "Datei.Blaetter", $"{sheets:N0}",
                                    $"Die Arbeitsmappe hat mehr als {limits.MaxSheets:N0} Blätter (die Vorlage hat "
                                        + $"sechs). Die Datei wird aus Sicherheitsgründen nicht geöffnet.");
                            break;
                        case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace
                            when root == "sst" || inText:
                            int n;
                            long node = 0;
                            while ((n = xml.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                            {
                                if (inText && (node += n) > limits.MaxTextNodeChars)
                                    return new(entry.FullName, "Datei.Textlaenge", $"{node:N0}",
                                        $"Ein Text im Teil „{entry.FullName}“ ist länger als "
                                            + $"{limits.MaxTextNodeChars:N0} Zeichen (mehr, als eine Excel-Zelle "
                                                + $"fasst). Die Datei wird aus Sicherheitsgründen nicht geöffnet.");
                                if (root == "sst" && (sharedChars += n) > limits.MaxSharedStringChars)
                                    return new(entry.FullName, "Datei.Texte", $"{sharedChars:N0}",
                                        $"Die gemeinsamen Texte der Datei sind zusammen länger als "
                                            + $"{limits.MaxSharedStringChars:N0} Zeichen. Die Datei wird aus "
                                                + $"Sicherheitsgründen nicht geöffnet.");
                            }
                            break;
                    }
                }
            }
            catch (XmlException) { /* not well-formed: the readers after this report it */ }
        }
        return null;
    }

    /// <summary>
    /// XML by content, not by name: a sheet or shared-strings part may have any name its relationship gives it.
    /// Binary parts (images, vbaProject.bin, printer settings) do not start with '&lt;' or a UTF-16 byte order mark.
    /// </summary>
    static bool LooksLikeXml(ZipArchiveEntry e)
    {
        if (e.FullName.EndsWith('/') || e.Length == 0) return false;
        Span<byte> head = stackalloc byte[64];
        int n;
        using (var s = e.Open()) n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var b = head[..n];
        if (b.Length >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) return true;
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) b = b[3..];
        foreach (var c in b)
        {
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return c == (byte)'<';
        }
        return false;
    }
}
