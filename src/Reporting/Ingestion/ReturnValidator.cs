using Reporting.Ingestion.Xlsx;
using Reporting.Reference;
using Reporting.Uploads;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>
/// Who uploads, for the checks that depend on it (layer 5: the provider in the file is the uploader).
/// </summary>
/// <param name="UploadingProviderCode">The authenticated provider; null for admins and the command line.</param>
public sealed record ValidationContext(string? UploadingProviderCode);

/// <summary>
/// Reads a return workbook streaming and checks it in layers (file, template, structure, types, domain,
/// cross-field); every message names sheet, cell, value and rule, in German. Errors reject, warnings are shown.
/// </summary>
public sealed class ReturnValidator(ReferenceCatalog catalog, UploadsOptions? limits = null)
{
    public ReferenceCatalog Catalog { get; } = catalog;
    public UploadsOptions Limits { get; } = limits ?? new UploadsOptions();

    public ParsedReturn Validate(Stream content, string fileName, ValidationContext context)
        => Validate(content, fileName, context, null);

    /// <summary>
    /// With <paramref name="passOn"/>, each fact goes there as soon as it is read and checked (while no error has
    /// been found; after one the return is rejected anyway) and none is kept: the result carries messages, cover
    /// and <see cref="ParsedReturn.Streamed"/> totals. The consumer must discard what it got if the result has errors.
    /// </summary>
    public ParsedReturn Validate(Stream content, string fileName, ValidationContext context, IFactConsumer? passOn)
    {
        var parsed = new ParsedReturn();
        var sink = new MessageSink(Limits.MaxMessages);
        var seekable = content.CanSeek ? content : Buffer(content, Limits.MaxUploadBytes + 1);
        try
        {
            if (!ReturnFileCheck.Check(seekable, fileName, Limits, sink, out var marker)) return Done(parsed, sink);

            // The reader's structure and type findings are kept apart until the template is known to be ours:
            // a foreign workbook gets one clear message, not hundreds about missing columns.
            var readSink = new MessageSink(Limits.MaxMessages);
            var read = new ReturnReader.Result(keepFacts: passOn is null);
            // Domain and cross-field rules check each fact as it is read (one pass, nothing held for them).
            var checks = new ReturnRules.FactChecks(read, Catalog, Limits.MaxMessages);
            checks.Attach();
            if (passOn is not null)
            {
                bool Clean() => !readSink.HasErrors && !checks.HasErrors;
                read.Costs.OnRead += c => { if (Clean()) passOn.Cost(c); };
                read.Supply.OnRead += l => { if (Clean()) passOn.Supply(l); };
                read.Ozg.OnRead += o => { if (Clean()) passOn.Ozg(o); };
            }
            try { ReturnReader.Read(seekable, Catalog.CostTypes, readSink, read, Limits); }
            catch (XlsxRefusedException e)
            {
                // Over a limit or not well-formed: that verdict alone, nothing of what was read before it.
                sink.Error("", "", e.Rule == "Datei.Defekt" ? Path.GetFileName(fileName) : e.Value, e.Rule, e.Text);
                return Done(parsed, sink);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                // The parser's own words (English, about XML internals) help nobody who filled in the template.
                sink.Error("", "", Path.GetFileName(fileName), "Datei.Defekt",
                    "Die Arbeitsmappe kann nicht gelesen werden (beschädigt oder kein gültiges Excel-Format).");
                return Done(parsed, sink);
            }

            var id = marker.TemplateId ?? read.Get(L.CoverTemplateId);
            var version = L.NormalizeVersion(marker.Version ?? read.Get(L.CoverTemplateVersion));
            var period = read.Get(L.CoverPeriod);
            if (!string.Equals(id, L.TemplateId, StringComparison.OrdinalIgnoreCase))
            {
                sink.Error(L.CoverSheet, "", id ?? "", "Vorlage.Kennung",
                    "Die Datei ist keine Meldung auf Basis der Vorlage „" + L.Title + "“. "
                    + L.DownloadHint(period));
                return Done(parsed, sink);
            }
            if (version is null || !L.SupportedVersions.Contains(version))
            {
                sink.Error(L.CoverSheet, "", version ?? "", "Vorlage.Version",
                    $"Die Vorlagenversion „{version}“ wird nicht mehr angenommen (aktuell: {L.Version}). "
                        + L.DownloadHint(period));
                return Done(parsed, sink);
            }

            foreach (var m in readSink.Messages) sink.Add(m);
            sink.AddDropped(readSink.Dropped, readSink.DroppedErrors);
            var cover = ReturnRules.Cover(read, Catalog, context, version, sink);
            checks.Finish(cover, sink);

            parsed.Cover = cover;
            if (passOn is null)
            {
                parsed.Costs.AddRange(read.Costs.Kept);
                parsed.Supply.AddRange(read.Supply.Kept);
                parsed.Ozg.AddRange(read.Ozg.Kept);
            }
            else parsed.Streamed = new(read.Costs.Count, read.Supply.Count, read.Ozg.Count, checks.CostTotal,
                checks.Workstations);
            return Done(parsed, sink);
        }
        finally
        {
            if (!ReferenceEquals(seekable, content)) seekable.Dispose();
        }
    }

    /// <summary>Convenience for files on disk (command line, tests).</summary>
    public ParsedReturn Validate(string path, ValidationContext context)
    {
        using var s = File.OpenRead(path);
        return Validate(s, path, context);
    }

    static ParsedReturn Done(ParsedReturn parsed, MessageSink sink)
    {
        sink.Complete(parsed);
        return parsed;
    }

    static MemoryStream Buffer(Stream s, long max)
    {
        var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = s.Read(buffer)) > 0 && ms.Length <= max) ms.Write(buffer, 0, n);
        ms.Position = 0;
        return ms;
    }
}
