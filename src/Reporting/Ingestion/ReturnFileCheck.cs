using System.IO.Compression;
using System.Text;
using System.Xml;
using Reporting.Ingestion.Xlsx;
using Reporting.Uploads;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>
/// Layer 1: is this an xlsx workbook we may open at all? Decided from the bytes and the zip central directory
/// before any parser runs: size, real type (not the extension), legacy/encrypted OLE2 files, macros, xlsb, ods,
/// zip bombs, DTDs; the type comes from the workbook part's content type (<see cref="XlsxPackageType"/>). Also reads
/// the template marker from docProps/custom.xml (layer 2 uses it). The parts read here are read under the same
/// limits as every other part (<see cref="XlsxLimits"/>): the readers of the parts enforce them, no prescan.
/// </summary>
public static class ReturnFileCheck
{
    const string Rule = "Datei";
    static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    static readonly byte[] Ole2Signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public sealed record Marker(string? TemplateId, string? Version);

    /// <summary>Returns false (with an error in <paramref name="sink"/>) when the file must not be parsed.</summary>
    public static bool Check(Stream content, string fileName, UploadsOptions limits, MessageSink sink,
        out Marker marker)
    {
        marker = new Marker(null, null);
        var show = Path.GetFileName(fileName);
        if (content.Length > limits.MaxUploadBytes)
            return Fail(sink, "Datei.Groesse", $"{content.Length:N0}",
                $"Die Datei ist größer als erlaubt ({limits.MaxUploadBytes / (1024 * 1024)} MB).");
        if (content.Length == 0) return Fail(sink, "Datei.Leer", show, "Die Datei ist leer.");

        var head = new byte[8];
        content.Position = 0;
        var n = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        if (n >= 8 && head.AsSpan().SequenceEqual(Ole2Signature))
            return IsEncryptedOle2(content)
                ? Fail(sink, "Datei.Verschluesselt", show,
                    "Die Arbeitsmappe ist mit einem Kennwort geschützt (verschlüsselt). "
                    + "Bitte ohne Kennwort speichern.")
                : Fail(sink, "Datei.Xls", show,
                    "Das alte Excel-Format .xls wird nicht angenommen. "
                    + "Bitte als Excel-Arbeitsmappe (.xlsx) speichern.");
        if (n < 4 || !head.AsSpan(0, 4).SequenceEqual(ZipSignature))
            return Fail(sink, "Datei.Typ", show,
                "Die Datei ist keine Excel-Arbeitsmappe (.xlsx). Bitte die Vorlage verwenden und als .xlsx speichern.");

        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            // Sizes from the central directory: nothing is inflated before these checks pass.
            long total = 0;
            foreach (var e in zip.Entries)
            {
                total += e.Length;
                if (e.Length >= limits.RatioCheckMinBytes
                    && (e.CompressedLength == 0 || (double)e.Length / e.CompressedLength > limits.MaxCompressionRatio))
                    return Fail(sink, "Datei.Zipbombe", e.FullName,
                        $"Der Inhalt „{e.FullName}“ ist ungewöhnlich stark komprimiert (mehr als "
                            + $"{limits.MaxCompressionRatio:N0}:1). Die Datei wird aus Sicherheitsgründen nicht "
                                + $"geöffnet.");
            }
            if (total > limits.MaxUncompressedBytes)
                return Fail(sink, "Datei.Zipbombe", $"{total:N0}",
                    $"Der entpackte Inhalt wäre größer als {limits.MaxUncompressedBytes / (1024 * 1024)} MB. Die "
                        + $"Datei wird aus Sicherheitsgründen nicht geöffnet.");

            if (zip.GetEntry("mimetype") is { } mime
                && Read(mime, 200).Contains("opendocument", StringComparison.Ordinal))
                return Fail(sink, "Datei.Ods", show,
                    "OpenDocument-Tabellen (.ods) werden nicht angenommen. Bitte als Excel-Arbeitsmappe (.xlsx) "
                        + "speichern.");
            var contentTypes = zip.GetEntry("[Content_Types].xml");
            if (contentTypes is null)
                return Fail(sink, "Datei.Typ", show,
                    "Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe (.xlsx).");
            foreach (var e in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                || e.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)))
                if (HasDoctype(e))
                    return Fail(sink, "Datei.Dtd", e.FullName,
                        $"Der Teil „{e.FullName}“ enthält eine DTD (<!DOCTYPE>); solche Dateien werden aus "
                            + $"Sicherheitsgründen nicht geöffnet.");
            var parts = new XlsxLimits(limits);
            switch (XlsxPackageType.Classify(zip, contentTypes, parts))
            {
                case XlsxKind.Binary:
                    return Fail(sink, "Datei.Xlsb", show,
                        "Binäre Excel-Arbeitsmappen (.xlsb) werden nicht angenommen. Bitte als .xlsx speichern.");
                case XlsxKind.Macros:
                    return Fail(sink, "Datei.Makros", show,
                        "Arbeitsmappen mit Makros (.xlsm) werden nicht angenommen. Bitte als Excel-Arbeitsmappe ohne "
                            + "Makros (.xlsx) speichern.");
                case XlsxKind.NoWorkbook:
                    return Fail(sink, "Datei.Typ", show,
                        "Die Datei enthält keine Excel-Arbeitsmappe (der Arbeitsmappen-Teil fehlt oder hat einen "
                            + "fremden Typ).");
            }
            if (zip.GetEntry("docProps/custom.xml") is { } custom) marker = ReadMarker(custom, parts);
        }
        catch (XlsxRefusedException e)
        {
            return Fail(sink, e.Rule, e.Value, e.Text);
        }
        catch (InvalidDataException)
        {
            return Fail(sink, "Datei.Defekt", show, "Die Datei ist beschädigt (kein gültiges ZIP-Archiv).");
        }
        catch (XmlException)
        {
            return Fail(sink, "Datei.Defekt", show,
                "Die Datei ist beschädigt (ein Verwaltungsteil der Arbeitsmappe ist kein gültiges XML).");
        }
        finally { content.Position = 0; }
        return true;
    }

    static bool Fail(MessageSink sink, string rule, string value, string text)
    {
        sink.Error("", "", value, rule, text);
        return false;
    }

    static string Read(ZipArchiveEntry e, int max)
    {
        using var s = e.Open();
        var buffer = new byte[Math.Min(max, Math.Max(1, (int)Math.Min(e.Length, max)))];
        var n = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>A DOCTYPE can only stand in the prolog, before the root element: the part's start is enough.</summary>
    static bool HasDoctype(ZipArchiveEntry e)
    {
        var text = Read(e, 64 * 1024);
        var root = text.IndexOf('<', StringComparison.Ordinal);
        while (root >= 0 && root + 1 < text.Length && text[root + 1] is '?' or '!')
        {
            if (string.CompareOrdinal(text, root, "<!DOCTYPE", 0, 9) == 0
                || text.AsSpan(root).StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase)) return true;
            root = text.IndexOf('<', root + 1);
        }
        return false;
    }

    static Marker ReadMarker(ZipArchiveEntry e, XlsxLimits limits)
    {
        using var xml = limits.Open(e);
        string? id = null, version = null, current = null;
        try
        {
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element) continue;
                if (xml.LocalName == "property") current = xml.GetAttribute("name");
                else if (current is not null && xml.NamespaceURI.Contains("docPropsVTypes", StringComparison.Ordinal))
                {
                    var numeric = xml.LocalName is "r8" or "r4" or "i4" or "i8" or "decimal";
                    var v = xml.ReadElementContentAsString().Trim();
                    // Some writers (ClosedXML among them) store "1.0" as the number 1: read it back as "1.0".
                    if (numeric && double.TryParse(v, System.Globalization.NumberStyles.Float,
                        System.Globalization.CultureInfo.InvariantCulture, out var number))
                        v = number.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture);
                    if (current == L.TemplateIdProperty) id = v;
                    if (current == L.VersionProperty) version = v;
                    current = null;
                }
            }
        }
        catch (XmlException) { /* a property of an unexpected shape: fall back to the cover cells */ }
        return new Marker(id, version);
    }

    /// <summary>
    /// An OLE2 compound file is either a legacy .xls or an encrypted OOXML package (Excel and LibreOffice store
    /// password-protected workbooks as OLE2 with the streams EncryptionInfo and EncryptedPackage).
    /// The directory entries hold the stream names in UTF-16.
    /// </summary>
    static bool IsEncryptedOle2(Stream content)
    {
        var needle = Encoding.Unicode.GetBytes("EncryptionInfo");
        var buffer = new byte[1 << 16];
        var carry = 0;
        content.Position = 0;
        try
        {
            int n;
            while ((n = content.Read(buffer, carry, buffer.Length - carry)) > 0)
            {
                var len = carry + n;
                if (buffer.AsSpan(0, len).IndexOf(needle) >= 0) return true;
                carry = Math.Min(needle.Length - 1, len);
                Array.Copy(buffer, len - carry, buffer, 0, carry);
            }
            return false;
        }
        finally { content.Position = 0; }
    }
}
