using System.Globalization;
using Reporting.Reference;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

public static partial class ReturnRules
{
    /// <summary>
    /// Layers 5 (domain) and 6 (cross-field) over the facts, checked one fact at a time as the reader hands them
    /// over: no pass over held facts afterwards, so the facts need not be held at all. What needs the whole return
    /// (duplicates, the stated total, per-municipality sums) keeps only compact state: duplicate keys as packed
    /// integers, a few sums per municipality. <see cref="Finish"/> adds the messages in the order the rules have
    /// always given them: domain (costs, supply, OZG), then cross-field.
    /// </summary>
    public sealed class FactChecks(ReturnReader.Result read, ReferenceCatalog catalog, int cap)
    {
        readonly MessageSink costDomain = new(cap), supplyDomain = new(cap), ozgDomain = new(cap);
        readonly Dictionary<(string, string), string> costSeen = [];
        readonly List<(CostLine Fact, string FirstCell)> costDuplicates = [];
        readonly PackedKeys supplyKeys = new(), ozgKeys = new();
        readonly Dictionary<string, int> supplyAgsIds = new(StringComparer.Ordinal),
            ozgAgsIds = new(StringComparer.Ordinal), serviceIds = new(StringComparer.Ordinal);
        readonly Dictionary<int, int> ozgIds = [];
        /// <summary>
        /// Per municipality (by id, in order of first appearance): workstations, charges, first row with charges.
        /// </summary>
        readonly List<(string Ags, long Workstations, decimal Charges, SupplyLine? FirstCharged)> perAgs = [];
        string supplySheet = L.SupplySheet, ozgSheet = L.OzgSheet;

        /// <summary>An error was found so far (a fact passed on after this one would be rejected anyway).</summary>
        public bool HasErrors => costDomain.HasErrors || supplyDomain.HasErrors || ozgDomain.HasErrors;
        public decimal CostTotal { get; private set; }
        public long Workstations { get; private set; }

        /// <summary>Hooks the checks into the reader's fact lists.</summary>
        public void Attach()
        {
            read.Costs.OnRead += Cost;
            read.Supply.OnRead += Supply;
            read.Ozg.OnRead += Ozg;
        }

        public void Cost(CostLine c)
        {
            if (!catalog.Services.ContainsKey(c.ServiceCode))
                costDomain.Error(c.Sheet, c.Cell, c.ServiceCode, "Domaene.Leistung",
                    $"Der Leistungscode „{c.ServiceCode}“ steht nicht im Leistungskatalog.");
            if (c.Amount < 0)
                costDomain.Error(c.Sheet, c.Cell, Eur(c.Amount), "Domaene.Negativ",
                    "Beträge dürfen nicht negativ sein.");
            CostTotal += c.Amount;
            if (!costSeen.TryAdd((c.ServiceCode, c.CostType), c.Cell)) costDuplicates.Add((c,
                costSeen[(c.ServiceCode, c.CostType)]));
        }

        public void Supply(SupplyLine l)
        {
            var sink = supplyDomain;
            if (!catalog.Municipalities.ContainsKey(l.Ags))
                sink.Error(l.Sheet, read.CellOf(l.Sheet, "ags", l.Row, 0), l.Ags, "Domaene.AGS",
                    $"Der Gemeindeschlüssel (AGS) „{l.Ags}“ ist unbekannt.");
            if (!catalog.Services.ContainsKey(l.ServiceCode))
                sink.Error(l.Sheet, read.CellOf(l.Sheet, "service", l.Row, 2), l.ServiceCode, "Domaene.Leistung",
                    $"Der Leistungscode „{l.ServiceCode}“ steht nicht im Leistungskatalog.");
            if (l.Workstations < 0) sink.Error(l.Sheet, read.CellOf(l.Sheet, "ws", l.Row, 3),
                l.Workstations.ToString(German), "Domaene.Negativ", "Arbeitsplätze dürfen nicht negativ sein.");
            if (l.Users < 0) sink.Error(l.Sheet, read.CellOf(l.Sheet, "users", l.Row, 4), l.Users.ToString(German),
                "Domaene.Negativ", "Nutzer dürfen nicht negativ sein.");
            if (l.Charges < 0) sink.Error(l.Sheet, read.CellOf(l.Sheet, "charges", l.Row, 5), Eur(l.Charges),
                "Domaene.Negativ", "Entgelte dürfen nicht negativ sein.");

            supplySheet = l.Sheet;
            var ags = Id(supplyAgsIds, l.Ags);
            supplyKeys.Add(ags, Id(serviceIds, l.ServiceCode), l.Row);
            if (ags == perAgs.Count) perAgs.Add((l.Ags, 0, 0, null));
            var t = perAgs[ags];
            perAgs[ags] = (t.Ags, t.Workstations + l.Workstations, t.Charges + l.Charges, t.FirstCharged
                ?? (l.Charges > 0 ? l : null));
            Workstations += l.Workstations;
        }

        public void Ozg(OzgLine o)
        {
            var sink = ozgDomain;
            if (!catalog.Municipalities.ContainsKey(o.Ags))
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "ags", o.Row, 0), o.Ags, "Domaene.AGS",
                    $"Der Gemeindeschlüssel (AGS) „{o.Ags}“ ist unbekannt.");
            if (!catalog.OzgServices.ContainsKey(o.OzgId))
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "id", o.Row, 2), o.OzgId.ToString(
                    CultureInfo.InvariantCulture), "Domaene.OZG", $"Die OZG-ID {o.OzgId} steht nicht im OZG-Katalog.");
            if (o.Maturity is < 0 or > 4)
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "maturity", o.Row, 4), o.Maturity.ToString(
                    CultureInfo.InvariantCulture), "Domaene.Reifegrad", "Der Reifegrad muss zwischen 0 und 4 liegen.");
            // Text dates are read as written, so "31.12.1899" (which Excel cannot store as a date) would pass as a
            // fact.
            if (o.OnlineSince is { } since && since < EarliestOnlineSince)
                sink.Error(o.Sheet, read.CellOf(o.Sheet, "since", o.Row, 6), since.ToString("dd.MM.yyyy", German),
                    "Domaene.Datum",
                    $"„Online seit“ {since.ToString("dd.MM.yyyy", German)} liegt vor "
                        + $"{EarliestOnlineSince.ToString("dd.MM.yyyy", German)}; bitte das Datum prüfen.");

            ozgSheet = o.Sheet;
            ozgKeys.Add(Id(ozgAgsIds, o.Ags), Id(ozgIds, o.OzgId), o.Row);
        }

        static int Id<T>(Dictionary<T, int> ids, T value) where T : notnull
        {
            ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ids, value,
                out var exists);
            if (!exists) id = ids.Count - 1;
            return id;
        }

        /// <summary>
        /// Adds the domain and cross-field messages (after the reader's and the cover's) to <paramref name="sink"/>.
        /// </summary>
        public void Finish(ReturnCover cover, MessageSink sink)
        {
            foreach (var s in new[] { costDomain, supplyDomain, ozgDomain })
            {
                foreach (var m in s.Messages) sink.Add(m);
                sink.AddDropped(s.Dropped, s.DroppedErrors);
            }

            if (cover.StatedTotal is { } stated && stated != CostTotal)
            {
                var cell = read.Cover.TryGetValue(L.CoverStatedTotal, out var f) ? f.Cell : "";
                sink.Error(L.CoverSheet, cell, Eur(stated), "Quer.Gesamtkosten",
                    $"Die angegebenen Gesamtkosten ({Eur(stated)}) weichen von der Summe der Kostenzeilen im Blatt "
                    + $"„{L.CostSheet}“ ({Eur(CostTotal)}) um {Eur(stated - CostTotal)} ab; "
                    + "sie müssen auf den Cent übereinstimmen.");
            }

            foreach (var (c, first) in costDuplicates)
                sink.Error(c.Sheet, c.Cell, c.ServiceCode, "Quer.Doppelt",
                    $"Leistung {c.ServiceCode} und Kostenart „{c.CostType}“ sind doppelt gemeldet: "
                    + $"{c.Sheet}!{first} und {c.Sheet}!{c.Cell}.");

            var supplyAgs = supplyAgsIds.Keys.ToArray();
            var ozgAgs = ozgAgsIds.Keys.ToArray();
            var serviceNames = serviceIds.Keys.ToArray();
            var ozgNames = ozgIds.Keys.ToArray();
            var l = supplySheet;
            foreach (var (a, b, firstRow, row) in supplyKeys.Duplicates())
                sink.Error(l, read.CellOf(l, "ags", row, 0), $"{supplyAgs[a]} / {serviceNames[b]}", "Quer.Doppelt",
                    $"Gemeinde {supplyAgs[a]} und Leistung {serviceNames[b]} sind doppelt gemeldet: Zeilen {firstRow} "
                        + $"und {row} ({l}!{read.CellOf(l, "ags", firstRow, 0)} und "
                            + $"{l}!{read.CellOf(l, "ags", row, 0)}).");
            var o = ozgSheet;
            foreach (var (a, b, firstRow, row) in ozgKeys.Duplicates())
                sink.Error(o, read.CellOf(o, "ags", row, 0), $"{ozgAgs[a]} / {ozgNames[b]}", "Quer.Doppelt",
                    $"Gemeinde {ozgAgs[a]} und OZG-ID {ozgNames[b]} sind doppelt gemeldet: Zeilen {firstRow} und "
                        + $"{row} ({o}!{read.CellOf(o, "ags", firstRow, 0)} und {o}!{read.CellOf(o, "ags", row, 0)}).");

            // Charges for a municipality without any workstation are odd but possible (e.g. a pure hosting contract).
            foreach (var g in perAgs)
                if (g.Workstations == 0 && g.Charges > 0 && g.FirstCharged is { } first)
                    sink.Warning(first.Sheet, read.CellOf(first.Sheet, "charges", first.Row, 5), Eur(g.Charges),
                        "Quer.EntgelteOhneArbeitsplaetze",
                        $"Für die Gemeinde {g.Ags} werden Entgelte gemeldet, aber keine Arbeitsplätze. "
                        + "Bitte prüfen.");
        }
    }

    /// <summary>
    /// Two-part keys with the row they stand in, packed into one long each (21 bits per part: a sheet has at most
    /// 1,048,576 rows, so no part can need more): 8 bytes per fact instead of a dictionary entry with a string.
    /// Duplicates are found once, at the end, by sorting.
    /// </summary>
    sealed class PackedKeys
    {
        const int Bits = 21;
        const long Mask = (1L << Bits) - 1;
        long[] keys = new long[1024];
        int count;

        public void Add(int a, int b, int row)
        {
            if ((uint)a > Mask || (uint)b > Mask
                || (uint)row > Mask) throw new InvalidOperationException($"key part out of range: {a}, {b}, row {row}");
            if (count == keys.Length) Array.Resize(ref keys, keys.Length * 2);
            keys[count++] = (long)a << (2 * Bits) | (long)b << Bits | (uint)row;
        }

        /// <summary>
        /// Every repeat of a key with the row of its first occurrence, in the order of the repeats' rows.
        /// </summary>
        public List<(int A, int B, int FirstRow, int Row)> Duplicates()
        {
            var span = keys.AsSpan(0, count);
            span.Sort();
            var found = new List<(int, int, int, int)>();
            var first = 0;   // the run of equal keys starts with the first occurrence (rows ascend within a key)
            for (var i = 1; i < span.Length; i++)
            {
                var key = span[i] >> Bits;
                if (key != span[first] >> Bits) { first = i; continue; }
                found.Add(((int)(key >> Bits), (int)(key & Mask), (int)(span[first] & Mask), (int)(span[i] & Mask)));
            }
            found.Sort((x, y) => x.Item4.CompareTo(y.Item4));
            return found;
        }
    }
}
