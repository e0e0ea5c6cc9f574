using System.Globalization;
using System.Text.RegularExpressions;
using Reporting.Reference;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>Layers 5 (domain: keys exist, ranges, provider, period) and 6 (cross-field: totals, duplicates).</summary>
public static partial class ReturnRules
{
    static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    static string Eur(decimal d) => d.ToString("#,##0.00", German) + " €";

    /// <summary>
    /// Free-text cover fields (provider name, contact) are kept to this many characters: they are stored and mailed,
    /// and a cell may hold 32,767.
    /// </summary>
    public const int MaxCoverTextChars = 200;

    public static ReturnCover Cover(ReturnReader.Result read, ReferenceCatalog catalog, ValidationContext context,
        string templateVersion, MessageSink sink)
    {
        var s = L.CoverSheet;
        string Text(string label) => read.Get(label) ?? "";
        string CellOf(string label) => read.Cover.TryGetValue(label, out var f) ? f.Cell : "";

        var code = Text(L.CoverProviderCode).ToUpperInvariant();
        if (code.Length == 0)
            sink.Error(s, CellOf(L.CoverProviderCode), "", "Domaene.Dienstleister", "Die Dienstleister-Kennung fehlt.");
        else if (context.UploadingProviderCode is { } uploader
            && !string.Equals(code, uploader, StringComparison.OrdinalIgnoreCase))
            sink.Error(s, CellOf(L.CoverProviderCode), code, "Domaene.Dienstleister",
                $"Die Datei meldet für den Dienstleister „{code}“, hochgeladen hat aber „{uploader}“. Jeder "
                    + $"Dienstleister meldet nur für sich selbst.");
        else if (context.UploadingProviderCode is null && !catalog.Providers.ContainsKey(code))
            sink.Error(s, CellOf(L.CoverProviderCode), code, "Domaene.Dienstleister",
                $"Der Dienstleister „{code}“ ist nicht registriert; angenommen werden nur Meldungen "
                + "registrierter Dienstleister.");

        var period = Text(L.CoverPeriod);
        if (period.Length == 0)
            sink.Error(s, CellOf(L.CoverPeriod), "", "Domaene.Zeitraum", "Der Meldezeitraum fehlt (z. B. 2025).");
        else if (!Periods.IsValid(period))
            sink.Error(s, CellOf(L.CoverPeriod), period, "Domaene.Zeitraum",
                "Der Meldezeitraum hat nicht die Form JJJJ, JJJJ-Q1..Q4 oder JJJJ-H1/H2.");
        else if (!catalog.IsOpen(period, out var reason))
            sink.Error(s, CellOf(L.CoverPeriod), period, "Domaene.Zeitraum", reason
                + " Meldungen für diesen Zeitraum werden nicht mehr angenommen.");

        decimal? fte = Number(read, L.CoverStaffFte, "Personal (VZÄ)", required: false, sink);
        decimal? total = Number(read, L.CoverStatedTotal, "Gesamtkosten", required: true, sink);
        return new ReturnCover(code, Free(Text(L.CoverProviderName)), period, Free(Text(L.CoverContact)), fte,
            total is null ? null : decimal.Round(total.Value, 2), templateVersion);
    }

    /// <summary>
    /// A free text cut to <see cref="MaxCoverTextChars"/> (never inside a surrogate pair), marked by "…".
    /// </summary>
    internal static string Free(string s)
    {
        if (s.Length <= MaxCoverTextChars) return s;
        var cut = MaxCoverTextChars - 1;
        if (char.IsHighSurrogate(s[cut - 1])) cut--;
        return string.Concat(s.AsSpan(0, cut).TrimEnd(), "…");
    }

    static decimal? Number(ReturnReader.Result read, string label, string what, bool required, MessageSink sink)
    {
        if (!read.Cover.TryGetValue(label, out var f) || CellValues.IsEmpty(f.Value))
        {
            if (required) sink.Error(L.CoverSheet, f?.Cell ?? "", "", "Typ.Pflichtfeld",
                $"{what} fehlt auf dem Deckblatt.");
            return null;
        }
        if (!CellValues.TryDecimal(f.Value, out var d))
        {
            sink.Error(L.CoverSheet, f.Cell, CellValues.Show(f.Value), "Typ.Zahl", $"{what} ist keine Zahl.");
            return null;
        }
        if (d < 0) sink.Error(L.CoverSheet, f.Cell, CellValues.Show(f.Value), "Domaene.Negativ",
            $"{what} darf nicht negativ sein.");
        return d;
    }

    /// <summary>No administrative service was online before the web existed.</summary>
    static readonly DateOnly EarliestOnlineSince = new(1990, 1, 1);
}
