using Reporting.Ingestion.Xlsx;
using Reporting.Reference;
using Reporting.Uploads;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>
/// Reads a return workbook row by row with <see cref="XlsxWorkbookReader"/> (the sheet XML is streamed; only the
/// shared strings and styles are held), finds the columns by header text, converts cells tolerantly and keeps each
/// fact's position. Reports structure (layer 3) and type (layer 4) findings, and every error value (#DIV/0!, #REF!)
/// on the template's sheets; the domain rules come after, in <see cref="ReturnRules"/>.
/// </summary>
public static class ReturnReader
{
    /// <summary>A cover value and where it stands.</summary>
    public sealed record CoverField(object? Value, string Cell);

    /// <param name="keepFacts">False: the facts only pass through their lists' OnRead (ingestion streams them
    /// on).</param>
    public sealed class Result(bool keepFacts = true)
    {
        public Dictionary<string, CoverField> Cover { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Sheets { get; } = new(StringComparer.Ordinal);
        public FactList<CostLine> Costs { get; } = new(keepFacts);
        public FactList<SupplyLine> Supply { get; } = new(keepFacts);
        public FactList<OzgLine> Ozg { get; } = new(keepFacts);
        public long RowsRead { get; set; }
        /// <summary>
        /// Where the columns were found (0-based), per sheet and column key, so later messages name the right cell.
        /// </summary>
        public Dictionary<string, Dictionary<string, int>> Columns { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// A1 address of a column (by key) in a row; the template's position where the column was not found.
        /// </summary>
        public string CellOf(string sheet, string key, int row, int templateColumn) =>
            CellValues.A1(Columns.TryGetValue(sheet, out var c) && c.TryGetValue(key, out var col)
                ? col : templateColumn, row);
        public string? Get(string label) => Cover.TryGetValue(label, out var f) ? CellValues.Text(f.Value) : null;
    }

    /// <summary>The first rows searched for a header row.</summary>
    const int HeaderSearchRows = 20;

    public static Result Read(Stream xlsx, IReadOnlyList<ReferenceCatalog.CostType> costTypes, MessageSink sink)
        => Read(xlsx, costTypes, sink, new Result());

    /// <summary>
    /// Reads into <paramref name="result"/>, whose fact lists may check and pass on each fact instead of keeping it.
    /// </summary>
    /// <param name="limits">The upload limits every part is read under (the defaults without).</param>
    public static Result Read(Stream xlsx, IReadOnlyList<ReferenceCatalog.CostType> costTypes, MessageSink sink,
        Result result, UploadsOptions? limits = null)
    {
        using var reader = XlsxWorkbookReader.Open(xlsx, leaveOpen: true, limits);
        while (reader.NextSheet())
        {
            var name = reader.Name.Trim();
            var known = new[] { L.CoverSheet, L.CostSheet, L.SupplySheet, L.OzgSheet }
                .FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            var hidden = !string.Equals(reader.VisibleState, "visible", StringComparison.OrdinalIgnoreCase);
            if (known is null)
            {
                // Hinweise, Listen (the template's own, very hidden) and extra sheets are not read. Data on a sheet
                // someone hid may be meant for us (or meant to stay unseen): say that it was left out.
                if (hidden && name != L.ListsSheet && FirstFilledCell(reader) is { } cell)
                    sink.Warning(name, cell, "", "Struktur.AusgeblendetesBlatt",
                        $"Das ausgeblendete Blatt „{name}“ enthält Daten. "
                            + "Sie werden nicht übernommen; gehören sie "
                            + $"zur Meldung, tragen Sie sie bitte in die Blätter der Vorlage ein.");
                continue;
            }
            var r = new Rows(reader, known, sink);
            if (!result.Sheets.Add(known))
            {
                // A second sheet of the same name is not read, but its error values are still named.
                while (r.Read()) { }
                continue;
            }
            if (hidden)
                sink.Warning(known, "", "", "Struktur.AusgeblendetesBlatt",
                    $"Das Blatt „{known}“ ist ausgeblendet. Es wurde trotzdem gelesen; bitte prüfen Sie, ob sein "
                        + $"Inhalt stimmt.");
            switch (known)
            {
                case L.CoverSheet: ReadCover(r, result); break;
                case L.CostSheet: ReadCosts(r, costTypes, result, sink); break;
                case L.SupplySheet: ReadSupply(r, result, sink); break;
                case L.OzgSheet: ReadOzg(r, result, sink); break;
            }
            // Error values count on the whole sheet, also below where reading stopped (a missing header).
            while (r.Read()) { }
        }

        foreach (var required in new[] { L.CoverSheet, L.CostSheet, L.SupplySheet, L.OzgSheet })
            if (!result.Sheets.Contains(required))
                sink.Error(required, "", "", "Struktur.Blatt",
                    $"Das Blatt „{required}“ fehlt. Bitte verwenden Sie die unveränderte Vorlage.");
        return result;
    }

    static string? FirstFilledCell(XlsxWorkbookReader r)
    {
        while (r.Read())
            for (var c = 0; c < r.FieldCount; c++)
                if (!CellValues.IsEmpty(r.GetValue(c))) return CellValues.A1(c, r.RowNumber);
        return null;
    }

    /// <summary>
    /// The rows of one of the template's sheets: each row read reports its error cells (rule Typ.Fehlerwert), since
    /// the value of such a cell is empty and the provider should hear which cell holds which error.
    /// </summary>
    sealed class Rows(XlsxWorkbookReader reader, string sheet, MessageSink sink)
    {
        public string Sheet { get; } = sheet;
        public int RowNumber => reader.RowNumber;
        public int FieldCount => reader.FieldCount;
        public object? GetValue(int column) => reader.GetValue(column);

        public bool Read()
        {
            if (!reader.Read()) return false;
            if (reader.Errors.Count == 0) return true;   // the common case, without an enumerator per row
            foreach (var e in reader.Errors)
                sink.Error(Sheet, CellValues.A1(e.Column, reader.RowNumber), e.Value, "Typ.Fehlerwert",
                    $"Die Zelle enthält den Fehlerwert {e.Value}" +
                    (e.Formula is null ? "" : $" (Formel ={e.Formula})")
                        + ". Bitte die Formel korrigieren oder den Wert direkt eintragen.");
            return true;
        }
    }

    static void ReadCover(Rows r, Result result)
    {
        var labels = L.CoverLabels.ToDictionary(CellValues.HeaderKey, l => l);
        while (r.Read())
        {
            for (var c = 0; c < r.FieldCount; c++)
            {
                var v = r.GetValue(c);
                if (CellValues.IsEmpty(v)) continue;
                // The first filled cell of a row is its label; the value is the next filled cell to its right.
                if (labels.TryGetValue(CellValues.HeaderKey(v), out var label) && !result.Cover.ContainsKey(label))
                {
                    var vc = c + 1;
                    while (vc < r.FieldCount && CellValues.IsEmpty(r.GetValue(vc))) vc++;
                    result.Cover[label] = vc < r.FieldCount
                        ? new CoverField(r.GetValue(vc), CellValues.A1(vc, r.RowNumber))
                        : new CoverField(null, CellValues.A1(c + 1, r.RowNumber));
                }
                break;
            }
        }
    }

    /// <summary>
    /// Finds the header row (the row among the first ones matching most wanted headers) and maps each wanted
    /// header to its column. Texts of the rows just above count too, for headers merged over two rows.
    /// Returns false (after reporting) when a required column is missing.
    /// </summary>
    static bool FindHeader(Rows r, IReadOnlyList<(string Key, string[] Names, bool Required)> wanted, MessageSink sink,
        out Dictionary<string, int> columns)
    {
        var keysByName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var w in wanted) foreach (var n in w.Names) keysByName[CellValues.HeaderKey(n)] = w.Key;
        var best = new Dictionary<string, int>();
        var recent = new List<Dictionary<string, int>>();
        columns = best;
        var sheet = r.Sheet;
        var previous = 0;
        while (r.Read() && r.RowNumber <= HeaderSearchRows)
        {
            // A row missing from the file is an empty row: it carries no header text down.
            for (var gap = Math.Max(previous + 1, r.RowNumber - 2); gap < r.RowNumber; gap++) recent.Add([]);
            previous = r.RowNumber;
            var found = new Dictionary<string, int>();
            for (var c = 0; c < r.FieldCount; c++)
                if (keysByName.TryGetValue(CellValues.HeaderKey(r.GetValue(c)), out var key)) found.TryAdd(key, c);
            // Vertically merged header cells keep their text in the top row: fill in from the two rows above.
            foreach (var above in recent.TakeLast(2))
                foreach (var (key, c) in above)
                    if (!found.ContainsKey(key) && !found.ContainsValue(c)) found[key] = c;
            recent.Add(found);
            var direct = found.Count;
            if (direct > best.Count) best = found;
            if (wanted.Where(w => w.Required).All(w => found.ContainsKey(w.Key))
                && found.Count >= 2) { columns = found; return true; }
        }
        columns = best;
        foreach (var w in wanted.Where(w => w.Required && !best.ContainsKey(w.Key)))
            sink.Error(sheet, "", "", "Struktur.Spalte",
                $"Die Spalte „{w.Names[0]}“ fehlt im Blatt „{sheet}“ "
                + $"(gesucht in den Kopfzeilen 1-{HeaderSearchRows}).");
        return false;
    }

    static void ReadCosts(Rows r, IReadOnlyList<ReferenceCatalog.CostType> costTypes, Result result, MessageSink sink)
    {
        var wanted = new List<(string, string[],
            bool)> { ("code", [L.CostServiceCode, "Leistung (Code)", "Code"], true) };
        wanted.AddRange(costTypes.Select(t => (t.Code, new[] { t.Name, t.Code }, true)));
        var sheet = r.Sheet;
        if (!FindHeader(r, wanted, sink, out var cols)) return;
        while (r.Read())
        {
            var row = r.RowNumber;
            var codeValue = r.GetValue(cols["code"]);
            var amounts = costTypes.Select(t
                => (Type: t, Column: cols[t.Code], Value: r.GetValue(cols[t.Code]))).ToList();
            if (CellValues.IsEmpty(codeValue))
            {
                if (amounts.Any(a => !CellValues.IsEmpty(a.Value)))
                    sink.Error(sheet, CellValues.A1(cols["code"], row), "", "Typ.Pflichtfeld",
                        "Beträge ohne Leistungscode: bitte den Leistungscode angeben.");
                continue;
            }
            var code = ServiceCode(codeValue);
            foreach (var a in amounts)
            {
                if (CellValues.IsEmpty(a.Value)) continue;
                var cell = CellValues.A1(a.Column, row);
                if (!CellValues.TryDecimal(a.Value, out var amount))
                    sink.Error(sheet, cell, CellValues.Show(a.Value), "Typ.Betrag",
                        $"„{a.Type.Name}“ für {code} ist kein Betrag in EUR.");
                else
                    result.Costs.Add(new CostLine(code, a.Type.Code, decimal.Round(amount, 2), sheet, cell));
            }
            result.RowsRead++;
        }
    }

    /// <summary>"ARB" or "ARB – Arbeitsplatz-IT": the code is the first word.</summary>
    internal static string ServiceCode(object? v)
    {
        var t = CellValues.Text(v);
        var end = t.IndexOfAny([' ', '–', '-', ':', '\t']);
        return (end > 0 ? t[..end] : t).ToUpperInvariant();
    }

    static void ReadSupply(Rows r, Result result, MessageSink sink)
    {
        (string, string[], bool)[] wanted =
        [
            ("ags", [L.SupplyAgs, "Gemeindeschlüssel", "AGS (Gemeindeschlüssel)"], true),
            ("service", [L.SupplyService, "Leistung", "Leistung (Code)"], true),
            ("ws", [L.SupplyWorkstations, "Arbeitsplaetze", "APL"], true),
            ("users", [L.SupplyUsers, "Nutzende", "Benutzer"], true),
            ("charges", [L.SupplyCharges, "Entgelte", "Entgelt"], true),
        ];
        var sheet = r.Sheet;
        if (!FindHeader(r, wanted, sink, out var cols)) return;
        result.Columns[sheet] = cols;
        while (r.Read())
        {
            var row = r.RowNumber;
            object? ags = r.GetValue(cols["ags"]), service = r.GetValue(cols["service"]), ws = r.GetValue(cols["ws"]),
                users = r.GetValue(cols["users"]), charges = r.GetValue(cols["charges"]);
            if (new[] { ags, service, ws, users, charges }.All(CellValues.IsEmpty)) continue;
            var ok = Required(sheet, cols["ags"], row, ags, "AGS", sink) & Required(sheet, cols["service"], row,
                service, "Leistungscode", sink);
            ok &= Int(sheet, cols["ws"], row, ws, "Arbeitsplätze", sink, out var wsN);
            ok &= Int(sheet, cols["users"], row, users, "Nutzer", sink, out var usersN);
            ok &= Amount(sheet, cols["charges"], row, charges, "Entgelte", sink, out var chargesN);
            if (ok) result.Supply.Add(new SupplyLine(CellValues.Ags(ags), ServiceCode(service), wsN, usersN, chargesN,
                sheet, row));
            result.RowsRead++;
        }
    }

    static void ReadOzg(Rows r, Result result, MessageSink sink)
    {
        (string, string[], bool)[] wanted =
        [
            ("ags", [L.OzgAgs, "Gemeindeschlüssel"], true),
            ("id", [L.OzgId, "OZG-Nr", "OZG ID", "ID"], true),
            ("maturity", [L.OzgMaturity, "Reifegradstufe"], true),
            ("efa", [L.OzgEfa, "Einer für Alle", "EfA-Leistung"], true),
            ("since", [L.OzgOnlineSince, "online seit dem", "Online ab"], false),
        ];
        var sheet = r.Sheet;
        if (!FindHeader(r, wanted, sink, out var cols)) return;
        result.Columns[sheet] = cols;
        var sinceCol = cols.GetValueOrDefault("since", -1);
        while (r.Read())
        {
            var row = r.RowNumber;
            object? ags = r.GetValue(cols["ags"]), id = r.GetValue(cols["id"]),
                maturity = r.GetValue(cols["maturity"]), efa = r.GetValue(cols["efa"]), since = r.GetValue(sinceCol);
            if (new[] { ags, id, maturity, efa, since }.All(CellValues.IsEmpty)) continue;
            var ok = Required(sheet, cols["ags"], row, ags, "AGS", sink);
            ok &= Int(sheet, cols["id"], row, id, "OZG-ID", sink, out var idN);
            ok &= Int(sheet, cols["maturity"], row, maturity, "Reifegrad", sink, out var maturityN);
            var efaOk = CellValues.TryBool(efa, out var efaB);
            if (!efaOk) sink.Error(sheet, CellValues.A1(cols["efa"], row), CellValues.Show(efa), "Typ.JaNein",
                "EfA muss „ja“ oder „nein“ sein.");
            DateOnly? onlineSince = null;
            if (!CellValues.IsEmpty(since))
            {
                if (CellValues.TryDate(since, out var d)) onlineSince = d;
                else { ok = false; sink.Error(sheet, CellValues.A1(sinceCol, row), CellValues.Show(since), "Typ.Datum",
                    "„Online seit“ ist kein Datum (TT.MM.JJJJ)."); }
            }
            if (ok && efaOk) result.Ozg.Add(new OzgLine(CellValues.Ags(ags), idN,
                (short)Math.Clamp(maturityN, short.MinValue, short.MaxValue), efaB, onlineSince, sheet, row));
            result.RowsRead++;
        }
    }

    static bool Required(string sheet, int col, int row, object? v, string what, MessageSink sink)
    {
        if (!CellValues.IsEmpty(v)) return true;
        sink.Error(sheet, CellValues.A1(col, row), "", "Typ.Pflichtfeld", $"{what} fehlt.");
        return false;
    }

    static bool Int(string sheet, int col, int row, object? v, string what, MessageSink sink, out int value)
    {
        value = 0;
        if (!Required(sheet, col, row, v, what, sink)) return false;
        if (CellValues.TryInt(v, out value)) return true;
        sink.Error(sheet, CellValues.A1(col, row), CellValues.Show(v), "Typ.Ganzzahl",
            $"{what} muss eine ganze Zahl sein.");
        return false;
    }

    static bool Amount(string sheet, int col, int row, object? v, string what, MessageSink sink, out decimal value)
    {
        value = 0;
        if (CellValues.IsEmpty(v)) return true;   // no charges is 0
        if (CellValues.TryDecimal(v, out value)) { value = decimal.Round(value, 2); return true; }
        sink.Error(sheet, CellValues.A1(col, row), CellValues.Show(v), "Typ.Betrag", $"{what} ist kein Betrag in EUR.");
        return false;
    }
}
