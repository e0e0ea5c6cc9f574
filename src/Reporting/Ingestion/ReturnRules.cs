using System.Globalization;
using System.Text.RegularExpressions;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>Layers 5 (domain: keys exist, ranges, provider, period) and 6 (cross-field: totals, duplicates).</summary>
public static partial class ReturnRules
{
    static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    static string Eur(decimal d) => d.ToString("#,##0.00", German) + " €";

    [GeneratedRegex(@"^[0-9]{4}(-(Q[1-4]|H[12]))?$")]
    private static partial Regex PeriodPattern();

    public static ReturnCover Cover(ReturnReader.Result read, ReferenceCatalog catalog, ValidationContext context, string templateVersion, MessageSink sink)
    {
        var s = L.CoverSheet;
        string Text(string label) => read.Get(label) ?? "";
        string CellOf(string label) => read.Cover.TryGetValue(label, out var f) ? f.Cell : "";

        var code = Text(L.CoverProviderCode).ToUpperInvariant();
        if (code.Length == 0)
            sink.Error(s, CellOf(L.CoverProviderCode), "", "Domaene.Dienstleister", "Die Dienstleister-Kennung fehlt.");
        else if (context.UploadingProviderCode is { } uploader && !string.Equals(code, uploader, StringComparison.OrdinalIgnoreCase))
            sink.Error(s, CellOf(L.CoverProviderCode), code, "Domaene.Dienstleister", $"Die Datei meldet für den Dienstleister „{code}“, hochgeladen hat aber „{uploader}“. Jeder Dienstleister meldet nur für sich selbst.");
        else if (context.UploadingProviderCode is null && !catalog.Providers.ContainsKey(code))
            sink.Error(s, CellOf(L.CoverProviderCode), code, "Domaene.Dienstleister", $"Der Dienstleister „{code}“ ist nicht angelegt.");

        var period = Text(L.CoverPeriod);
        if (period.Length == 0)
            sink.Error(s, CellOf(L.CoverPeriod), "", "Domaene.Zeitraum", "Der Meldezeitraum fehlt (z. B. 2025).");
        else if (!PeriodPattern().IsMatch(period))
            sink.Error(s, CellOf(L.CoverPeriod), period, "Domaene.Zeitraum", "Der Meldezeitraum hat nicht die Form JJJJ, JJJJ-Q1..Q4 oder JJJJ-H1/H2.");
        else if (!catalog.IsOpen(period, out var reason))
            sink.Error(s, CellOf(L.CoverPeriod), period, "Domaene.Zeitraum", reason + " Meldungen für diesen Zeitraum werden nicht mehr angenommen.");

        decimal? fte = Number(read, L.CoverStaffFte, "Personal (VZÄ)", required: false, sink);
        decimal? total = Number(read, L.CoverStatedTotal, "Gesamtkosten", required: true, sink);
        return new ReturnCover(code, Text(L.CoverProviderName), period, Text(L.CoverContact), fte, total is null ? null : decimal.Round(total.Value, 2), templateVersion);
    }

    static decimal? Number(ReturnReader.Result read, string label, string what, bool required, MessageSink sink)
    {
        if (!read.Cover.TryGetValue(label, out var f) || CellValues.IsEmpty(f.Value))
        {
            if (required) sink.Error(L.CoverSheet, f?.Cell ?? "", "", "Typ.Pflichtfeld", $"{what} fehlt auf dem Deckblatt.");
            return null;
        }
        if (!CellValues.TryDecimal(f.Value, out var d))
        {
            sink.Error(L.CoverSheet, f.Cell, CellValues.Show(f.Value), "Typ.Zahl", $"{what} ist keine Zahl.");
            return null;
        }
        if (d < 0) sink.Error(L.CoverSheet, f.Cell, CellValues.Show(f.Value), "Domaene.Negativ", $"{what} darf nicht negativ sein.");
        return d;
    }

    public static void Domain(ReturnReader.Result read, ReferenceCatalog catalog, MessageSink sink)
    {
        foreach (var c in read.Costs)
        {
            if (!catalog.Services.ContainsKey(c.ServiceCode))
                sink.Error(c.Sheet, c.Cell, c.ServiceCode, "Domaene.Leistung", $"Der Leistungscode „{c.ServiceCode}“ steht nicht im Leistungskatalog.");
            if (c.Amount < 0)
                sink.Error(c.Sheet, c.Cell, Eur(c.Amount), "Domaene.Negativ", "Beträge dürfen nicht negativ sein.");
        }
        foreach (var l in read.Supply)
        {
            if (!catalog.Municipalities.ContainsKey(l.Ags))
                sink.Error(l.Sheet, read.CellOf(l.Sheet, "ags", l.Row, 0), l.Ags, "Domaene.AGS", $"Der Gemeindeschlüssel (AGS) „{l.Ags}“ ist unbekannt.");
            if (!catalog.Services.ContainsKey(l.ServiceCode))
                sink.Error(l.Sheet, read.CellOf(l.Sheet, "service", l.Row, 2), l.ServiceCode, "Domaene.Leistung", $"Der Leistungscode „{l.ServiceCode}“ steht nicht im Leistungskatalog.");
            if (l.Workstations < 0) sink.Error(l.Sheet, read.CellOf(l.Sheet, "ws", l.Row, 3), l.Workstations.ToString(German), "Domaene.Negativ", "Arbeitsplätze dürfen nicht negativ sein.");
            if (l.Users < 0) sink.Error(l.Sheet, read.CellOf(l.Sheet, "users", l.Row, 4), l.Users.ToString(German), "Domaene.Negativ", "Nutzer dürfen nicht negativ sein.");
            if (l.Charges < 0) sink.Error(l.Sheet, read.CellOf(l.Sheet, "charges", l.Row, 5), Eur(l.Charges), "Domaene.Negativ", "Entgelte dürfen nicht negativ sein.");
        }
        foreach (var o in read.Ozg)
        {
            if (!catalog.Municipalities.ContainsKey(o.Ags))
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "ags", o.Row, 0), o.Ags, "Domaene.AGS", $"Der Gemeindeschlüssel (AGS) „{o.Ags}“ ist unbekannt.");
            if (!catalog.OzgServices.ContainsKey(o.OzgId))
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "id", o.Row, 2), o.OzgId.ToString(CultureInfo.InvariantCulture), "Domaene.OZG", $"Die OZG-ID {o.OzgId} steht nicht im OZG-Katalog.");
            if (o.Maturity is < 0 or > 4)
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "maturity", o.Row, 4), o.Maturity.ToString(CultureInfo.InvariantCulture), "Domaene.Reifegrad", "Der Reifegrad muss zwischen 0 und 4 liegen.");
            // Text dates are read as written, so "31.12.1899" (which Excel cannot store as a date) would pass as a fact.
            if (o.OnlineSince is { } since && since < EarliestOnlineSince)
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "since", o.Row, 6), since.ToString("dd.MM.yyyy", German), "Domaene.Datum",
                    $"„Online seit“ {since.ToString("dd.MM.yyyy", German)} liegt vor {EarliestOnlineSince.ToString("dd.MM.yyyy", German)}; bitte das Datum prüfen.");
        }
    }

    /// <summary>No administrative service was online before the web existed.</summary>
    static readonly DateOnly EarliestOnlineSince = new(1990, 1, 1);

    public static void CrossField(ReturnReader.Result read, ReturnCover cover, MessageSink sink)
    {
        var sum = read.Costs.Sum(c => c.Amount);
        if (cover.StatedTotal is { } stated && stated != sum)
        {
            var cell = read.Cover.TryGetValue(L.CoverStatedTotal, out var f) ? f.Cell : "";
            sink.Error(L.CoverSheet, cell, Eur(stated), "Quer.Gesamtkosten",
                $"Die angegebenen Gesamtkosten ({Eur(stated)}) weichen von der Summe der Kostenzeilen im Blatt „{L.CostSheet}“ ({Eur(sum)}) um {Eur(stated - sum)} ab; sie müssen auf den Cent übereinstimmen.");
        }

        var costSeen = new Dictionary<(string, string), string>();
        foreach (var c in read.Costs)
            if (!costSeen.TryAdd((c.ServiceCode, c.CostType), c.Cell))
                sink.Error(c.Sheet, c.Cell, c.ServiceCode, "Quer.Doppelt", $"Leistung {c.ServiceCode} und Kostenart „{c.CostType}“ sind doppelt gemeldet: {c.Sheet}!{costSeen[(c.ServiceCode, c.CostType)]} und {c.Sheet}!{c.Cell}.");

        var supplySeen = new Dictionary<(string, string), int>();
        foreach (var l in read.Supply)
            if (!supplySeen.TryAdd((l.Ags, l.ServiceCode), l.Row))
                sink.Error(l.Sheet, read.CellOf(l.Sheet, "ags", l.Row, 0), $"{l.Ags} / {l.ServiceCode}", "Quer.Doppelt", $"Gemeinde {l.Ags} und Leistung {l.ServiceCode} sind doppelt gemeldet: Zeilen {supplySeen[(l.Ags, l.ServiceCode)]} und {l.Row} ({l.Sheet}!{read.CellOf(l.Sheet, "ags", supplySeen[(l.Ags, l.ServiceCode)], 0)} und {l.Sheet}!{read.CellOf(l.Sheet, "ags", l.Row, 0)}).");

        var ozgSeen = new Dictionary<(string, int), int>();
        foreach (var o in read.Ozg)
            if (!ozgSeen.TryAdd((o.Ags, o.OzgId), o.Row))
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "ags", o.Row, 0), $"{o.Ags} / {o.OzgId}", "Quer.Doppelt", $"Gemeinde {o.Ags} und OZG-ID {o.OzgId} sind doppelt gemeldet: Zeilen {ozgSeen[(o.Ags, o.OzgId)]} und {o.Row} ({o.Sheet}!{read.CellOf(o.Sheet, "ags", ozgSeen[(o.Ags, o.OzgId)], 0)} und {o.Sheet}!{read.CellOf(o.Sheet, "ags", o.Row, 0)}).");

        // Charges for a municipality without any workstation are odd but possible (e.g. a pure hosting contract).
        foreach (var g in read.Supply.GroupBy(l => l.Ags))
            if (g.Sum(l => (long)l.Workstations) == 0 && g.Sum(l => l.Charges) > 0)
            {
                var first = g.First(l => l.Charges > 0);
                sink.Warning(first.Sheet, read.CellOf(first.Sheet, "charges", first.Row, 5), Eur(g.Sum(l => l.Charges)), "Quer.EntgelteOhneArbeitsplaetze",
                    $"Für die Gemeinde {g.Key} werden Entgelte gemeldet, aber keine Arbeitsplätze. Bitte prüfen.");
            }
    }
}
