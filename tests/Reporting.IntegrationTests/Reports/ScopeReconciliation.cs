using System.Net;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Delivery;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reports;
using KpiValue = Reporting.Kpis.KpiValue;

namespace Reporting.IntegrationTests.Reports;

/// <summary>
/// One scope's dashboard (every workbook sheet) and mail (its key figures) checked against the snapshot as that
/// scope reads it through <see cref="SnapshotReader"/>: each number is the scope's own value, or sits in a row or
/// under a label that names it a comparison ("NRW", "Nordrhein-Westfalen", "NRW-Vergleich", a reference value).
/// </summary>
public sealed class ScopeReconciliation(NpgsqlDataSource db, long snapshotId, int anonymityMin = 5)
{
    const string Overview = "Übersicht", Providers = "Dienstleister", Municipalities = "Kommunen";
    const string Services = "Leistungen und Konsolidierung", Ozg = "OZG", Status = "Datenstand";
    const string Nrw = "Nordrhein-Westfalen";

    readonly KpiCatalogue catalogue = KpiCatalogue.LoadEmbedded();
    public SnapshotReader Reader { get; } = new(db,
        Options.Create(new KpisOptions { AnonymityMinProviders = anonymityMin }));
    DashboardRenderer Renderer => new(db, catalogue, Reader);

    /// <summary>
    /// Renders the scope's dashboard and mail and checks every number in them; returns cells checked.
    /// </summary>
    public async Task<int> CheckAsync(KpiScope scope)
    {
        var own = (await Reader.LoadAsync(snapshotId, scope))!;
        var nrw = (await Reader.LoadAsync(snapshotId, KpiScope.Nrw))!;
        var rendered = await Renderer.RenderAsync(snapshotId, scope);
        using var wb = new XLWorkbook(WorkbookDrawings.WithoutPictures(rendered.Workbook));
        var checkedCells = 0;
        checkedCells += CheckOverview(wb.Worksheet(Overview), scope, own);
        checkedCells += await CheckProvidersAsync(wb.Worksheet(Providers), scope, own);
        checkedCells += await CheckMunicipalitiesAsync(wb.Worksheet(Municipalities), scope, own);
        checkedCells += CheckServices(wb.Worksheet(Services), scope, own);
        checkedCells += CheckOzg(wb.Worksheet(Ozg), scope, own);
        checkedCells += CheckStatus(wb.Worksheet(Status), scope, own);
        checkedCells += CheckMail(rendered, scope, own);
        checkedCells += await CheckFindingsAsync(scope, own);
        if (scope.Kind == KpiScopeKind.Provider && !SeesNrw(own)) CheckNoNrwAggregate(wb, scope, own, nrw);
        return checkedCells;
    }

    /// <summary>Whether the scope may see NRW aggregates at all (a provider only from a published snapshot).</summary>
    static bool SeesNrw(KpiSnapshot own) => own.Values.Any(v => v.Dimension == KpiDimensions.Nrw);

    string Where(KpiScope scope, IXLCell c) => $"{scope}: {c.Worksheet.Name}!{c.Address} = {Show(c)}";

    static string Show(IXLCell c) => c.DataType == XLDataType.Number ? c.GetDouble().ToString("R") : c.GetString();

    /// <summary>The key figures: own value, or the NRW value with "Nordrhein-Westfalen" as the reference.</summary>
    int CheckOverview(IXLWorksheet ws, KpiScope scope, KpiSnapshot own)
    {
        var n = 0;
        foreach (var row in ws.RowsUsed().Where(r => r.RowNumber() > 4 && !r.Cell(1).IsEmpty()))
        {
            var def = catalogue.Kpis.Single(k => k.Name == row.Cell(1).GetString());
            var reference = row.Cell(6).GetString();
            var v = Expected(scope, own, def.Id, reference == Nrw, Where(scope, row.Cell(1)));
            AssertCell(scope, row.Cell(2), v?.Value);
            AssertCell(scope, row.Cell(3), v?.PreviousValue);
            AssertCell(scope, row.Cell(4), GermanFormat.ChangeValue(v?.Value, v?.PreviousValue, def.Unit));
            n += 3;
        }
        Assert.True(n > 0, $"{scope}: no key figures on {ws.Name}");
        return n;
    }

    /// <summary>
    /// The value a key figure must show: the scope's own; the NRW value only where the scope has none, labelled as
    /// NRW, and only where the reader lets the scope see it.
    /// </summary>
    static KpiValue? Expected(KpiScope scope, KpiSnapshot own, string kpi, bool labelledNrw, string where)
    {
        var mine = own.Find(kpi, scope.OwnDimension, scope.OwnSliceKey);
        if (!labelledNrw || scope.Kind == KpiScopeKind.Nrw) return mine;
        Assert.True(mine is null, $"{where}: shows the NRW value although the scope has its own");
        var theirs = own.Find(kpi, KpiDimensions.Nrw, KpiDimensions.NrwKey);
        Assert.True(theirs is not null, $"{where}: shows an NRW value the scope may not see");
        return theirs;
    }

    static readonly (int Col, string Kpi)[] ProviderColumns =
    [
        (3, "total_cost"), (4, "cost_per_workstation"), (6, "cost_per_user"), (7, "cost_per_inhabitant"),
        (8, "workstations_per_fte"), (9, "consolidation_potential"),
    ];

    /// <summary>Provider rows are the providers' own rows as the scope reads them; the NRW row is labelled.</summary>
    async Task<int> CheckProvidersAsync(IXLWorksheet ws, KpiScope scope, KpiSnapshot own)
    {
        var benchmark = await BenchmarkAsync();
        var n = 0;
        foreach (var row in ws.RowsUsed().Where(r => r.RowNumber() > 4 && !r.Cell(1).IsEmpty()))
        {
            var code = row.Cell(1).GetString();
            var isNrw = code == KpiDimensions.NrwKey;
            if (isNrw) Assert.Contains(Nrw, row.Cell(2).GetString());
            else if (scope.Kind == KpiScopeKind.Provider) Assert.Equal(scope.Key, code);
            var dim = isNrw ? KpiDimensions.Nrw : KpiDimensions.Provider;
            foreach (var (col, kpi) in ProviderColumns)
            {
                AssertCell(scope, row.Cell(col), own.ValueOf(kpi, dim, code));
                n++;
            }
            var cpw = own.ValueOf("cost_per_workstation", dim, code);
            AssertCell(scope, row.Cell(5), cpw is { } c ? c / benchmark - 1 : null);
            n++;
        }
        return n;
    }

    async Task<decimal> BenchmarkAsync()
    {
        await using var cmd = db.CreateCommand(
            "select value from kpi_reference_values where name = 'IT-Kosten je IT-Arbeitsplatz' and value is not null");
        return await cmd.ExecuteScalarAsync() as decimal? ?? 3100m;
    }

    static readonly (int Col, string Kpi)[] MunicipalityColumns =
    [
        (5, "ozg_online_rate"), (6, "ozg_compliant_rate"), (7, "providers_per_municipality"),
        (8, "charges_per_workstation"),
    ];

    /// <summary>
    /// The scope's municipalities only, with their population from the reference and their own values.
    /// </summary>
    async Task<int> CheckMunicipalitiesAsync(IXLWorksheet ws, KpiScope scope, KpiSnapshot own)
    {
        var reference = new Dictionary<string, (string District, int Population)>();
        await using (var cmd = db.CreateCommand("select ags, district_key, population from municipalities"))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) reference[r.GetString(0)] = (r.GetString(1), r.GetInt32(2));
        var n = 0;
        foreach (var row in ws.RowsUsed().Where(r => r.RowNumber() > 4 && !r.Cell(1).IsEmpty()))
        {
            var ags = row.Cell(1).GetString();
            var (district, population) = reference[ags];
            if (scope.Kind == KpiScopeKind.District)
                Assert.True(district == scope.Key, $"{Where(scope, row.Cell(1))}: a municipality of another district");
            AssertCell(scope, row.Cell(4), population);
            foreach (var (col, kpi) in MunicipalityColumns)
            {
                AssertCell(scope, row.Cell(col), own.ValueOf(kpi, KpiDimensions.Municipality, ags));
                n++;
            }
        }
        return n;
    }

    static readonly (int Col, string Kpi)[] ServiceColumns =
    [
        (2, "cost_share_by_service"), (3, "service_coverage_municipalities"), (4, "service_coverage_inhabitants"),
        (5, "providers_per_service"), (6, "hhi_workstations"), (7, "unit_cost_min"), (8, "unit_cost_median"),
        (9, "unit_cost_max"), (10, "consolidation_potential"),
    ];

    /// <summary>
    /// The NRW service table (labelled NRW-Vergleich outside NRW) and, above it, the scope's own potential.
    /// </summary>
    int CheckServices(IXLWorksheet ws, KpiScope scope, KpiSnapshot own)
    {
        var n = 0;
        if (scope.Kind != KpiScopeKind.Nrw)
        {
            AssertCell(scope, ws.Cell(3, 10),
                own.ValueOf("consolidation_potential", scope.OwnDimension, scope.OwnSliceKey));
            n++;
        }
        var rows = ws.RowsUsed().Where(r => r.RowNumber() > 4 && !r.Cell(1).IsEmpty()).ToList();
        if (rows.Count > 0 && scope.Kind != KpiScopeKind.Nrw)
            Assert.Contains("NRW-Vergleich", ws.Cell(1, 1).GetString());
        foreach (var row in rows)
            foreach (var (col, kpi) in ServiceColumns)
            {
                AssertCell(scope, row.Cell(col), own.ValueOf(kpi, KpiDimensions.Service, row.Cell(11).GetString()));
                n++;
            }
        return n;
    }

    /// <summary>Own districts' rows hold their topic rates; the row "NRW" is the labelled NRW total.</summary>
    int CheckOzg(IXLWorksheet ws, KpiScope scope, KpiSnapshot own)
    {
        var n = 0;
        var topics = ws.Row(4).CellsUsed().Where(c => c.Address.ColumnNumber > 2)
            .ToDictionary(c => c.Address.ColumnNumber, c => c.GetString());
        foreach (var row in ws.RowsUsed().Where(r => r.RowNumber() > 4 && r.Cell(1).GetString() is { Length: > 0 }
                     && r.Cell(2).GetString().Length > 0))
        {
            var key = row.Cell(1).GetString();
            if (scope.Kind == KpiScopeKind.District) Assert.True(key == scope.Key || key == KpiDimensions.NrwKey,
                $"{Where(scope, row.Cell(1))}: another district's OZG row");
            foreach (var (col, topic) in topics)
            {
                var expected = key == KpiDimensions.NrwKey
                    ? own.ValueOf("ozg_topic_online_rate", KpiDimensions.OzgTopic, topic)
                    : own.ValueOf("ozg_topic_online_rate", KpiDimensions.DistrictOzgTopic, $"{key}|{topic}");
                AssertCell(scope, row.Cell(col), expected);
                n++;
            }
        }
        return n;
    }

    /// <summary>
    /// The returns counted: NRW-wide figures (KPIs returns_expected, returns_received, returns_completeness), so
    /// shown exactly as the scope reads those KPIs; a provider that may not see NRW aggregates sees none of them.
    /// </summary>
    int CheckStatus(IXLWorksheet ws, KpiScope scope, KpiSnapshot own)
    {
        var labels = ws.Range(4, 1, 12, 1).CellsUsed().ToDictionary(c => c.GetString(), c => c.CellRight());
        AssertCell(scope, labels["Erwartete Meldungen"], own.ValueOf("returns_expected", "nrw", "NRW"));
        AssertCell(scope, labels["Eingegangene Meldungen"], own.ValueOf("returns_received", "nrw", "NRW"));
        AssertCell(scope, labels["Vollständigkeit"], own.ValueOf("returns_completeness", "nrw", "NRW"));
        if (!SeesNrw(own))
            foreach (var c in ws.CellsUsed().Where(c => c.DataType == XLDataType.Text))
                Assert.False(c.GetString().Contains("der Meldungen", StringComparison.Ordinal),
                    $"{Where(scope, c)}: states the NRW share of returns received");
        return 3;
    }

    /// <summary>
    /// The mail's key figures, in the text the executive reads: "- Label: Wert (Veränderung)". A label ending in
    /// "(NRW)" is the labelled NRW comparison, allowed only where the scope has no value of its own.
    /// </summary>
    int CheckMail(RenderedDashboard rendered, KpiScope scope, KpiSnapshot own)
    {
        var report = new ExecutiveReport
        {
            ReportTitle = "Kennzahlenbericht", ScopeLabel = rendered.ScopeLabel, PeriodLabel = rendered.Period,
            KeyFigures = rendered.KeyFigures.Select(k
                => new Reporting.Delivery.MailKeyFigure(k.Label, k.Value, k.Change, k.Light))
                .ToList(),
        };
        var mail = new MailComposer(Options.Create(new SmtpOptions()))
            .Executive(report, new MailRecipient("Test", "test@example.org"), null);
        var text = mail.TextBody ?? "";
        var html = mail.HtmlBody ?? "";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("- ")).ToList();
        Assert.True(lines.Count > 0, $"{scope}: the mail has no key figures");
        foreach (var line in lines)
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var label = line[2..colon];
            var labelledNrw = label.EndsWith(" (NRW)", StringComparison.Ordinal);
            var name = labelledNrw ? label[..^" (NRW)".Length] : label;
            var def = catalogue.Kpis.SingleOrDefault(k => k.Name == name);
            Assert.True(def is not null, $"{scope}: mail key figure '{label}' is no catalogue KPI");
            var v = Expected(scope, own, def!.Id, labelledNrw, $"{scope}: mail '{line}'");
            Assert.True(v is not null, $"{scope}: mail '{line}' has no value in the scope's snapshot");
            var value = GermanFormat.Value(v!.Value, def.Unit) + (v.Provisional ? " (vorläufig)" : "");
            Assert.True(line[(colon + 2)..].StartsWith(value, StringComparison.Ordinal),
                $"{scope}: mail '{line}', the snapshot says {value}");
            Assert.True(html.Contains($">{WebUtility.HtmlEncode(value)}<", StringComparison.Ordinal),
                $"{scope}: the mail's HTML lacks '{label}' = {value}");
            var change = GermanFormat.Change(v.Value, v.PreviousValue, def.Unit);
            if (change != "–")
                Assert.True(line.Contains(change, StringComparison.Ordinal),
                    $"{scope}: mail '{line}', change {change}");
        }
        return lines.Count;
    }

    static readonly Regex NumberToken = new(@"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?");
    static readonly Regex DateToken = new(@"\b\d{2}\.\d{2}\.\d{4}\b");

    static IEnumerable<string> Numbers(string text) => NumberToken.Matches(text).Select(m => m.Value);

    /// <summary>
    /// The mail's findings: three to five sentences, each number in them the scope's own value, previous value,
    /// change or gap, or an NRW value or reference value named as such ("NRW-Wert von", "Referenzwert von"), or
    /// the NRW count of returns in the sentence about returns. A scope that may not see NRW gets no NRW sentence.
    /// </summary>
    async Task<int> CheckFindingsAsync(KpiScope scope, KpiSnapshot own)
    {
        var data = await Renderer.LoadAsync(snapshotId, scope);
        var findings = Briefing.Findings(data);
        Assert.InRange(findings.Count, 3, 5);
        string Unit(string kpi) => catalogue.Find(kpi)?.Unit ?? "";
        var mine = own.Values.Where(v => v.Dimension == scope.OwnDimension && v.SliceKey == scope.OwnSliceKey
            && v.Value is not null).ToList();
        var nrw = own.Values.Where(v => v.Dimension == KpiDimensions.Nrw && v.Value is not null).ToList();
        var ownNumbers = new HashSet<string>();
        var named = new List<string>();
        foreach (var v in mine)
        {
            var unit = Unit(v.KpiId);
            ownNumbers.UnionWith(Numbers(GermanFormat.Value(v.Value, unit)));
            ownNumbers.UnionWith(Numbers(GermanFormat.Value(v.PreviousValue, unit)));
            ownNumbers.UnionWith(Numbers(GermanFormat.Change(v.Value, v.PreviousValue, unit)));
            foreach (var n in nrw.Where(n => n.KpiId == v.KpiId && scope.Kind != KpiScopeKind.Nrw))
            {
                ownNumbers.UnionWith(Numbers(GermanFormat.Change(v.Value, n.Value, unit)));
                named.Add($"NRW-Wert von {GermanFormat.Value(n.Value, unit)}");
            }
            if (Briefing.Benchmark(data, v.KpiId) is { } b)
            {
                ownNumbers.UnionWith(Numbers(GermanFormat.Change(v.Value, b.Value, unit)));
                named.Add($"Referenzwert von {GermanFormat.Value(b.Value, unit)}");
            }
        }
        var returns = new HashSet<string>();
        if (own.ValueOf("returns_expected", "nrw", "NRW") is { } e && own.ValueOf("returns_received", "nrw", "NRW")
            is { } r)
            returns.UnionWith(new[] { GermanFormat.Value(e, "Anzahl"), GermanFormat.Value(r, "Anzahl"),
                GermanFormat.Value(e - r, "Anzahl"),
                GermanFormat.Value(own.ValueOf("returns_completeness", "nrw", "NRW"), "Anteil") }.SelectMany(Numbers));
        var periods = new[] { data.Period, GermanFormat.PreviousPeriod(data.Period) ?? data.Period };
        foreach (var f in findings)
        {
            var rest = DateToken.Replace(f, " ");
            foreach (var p in periods) rest = rest.Replace($"ggü. {p}", " ").Replace($"für {p}", " ");
            foreach (var n in named.Where(n => rest.Contains(n, StringComparison.Ordinal))) rest = rest.Replace(n, " ");
            foreach (var token in Numbers(rest))
                Assert.True(ownNumbers.Contains(token) || (returns.Contains(token) && f.Contains("Meldungen")),
                    $"{scope}: finding '{f}': {token} is not in the scope's snapshot (own value, change or gap)");
            if (!SeesNrw(own)) Assert.DoesNotContain("NRW", f, StringComparison.Ordinal);
        }
        return findings.Count;
    }

    /// <summary>
    /// Below the anonymity minimum a provider's workbook holds no number that is an NRW-wide aggregate.
    /// </summary>
    static void CheckNoNrwAggregate(XLWorkbook wb, KpiScope scope, KpiSnapshot own, KpiSnapshot nrw)
    {
        var aggregates = nrw.Values.Where(v => v.ProviderCode is null && v.Value is { } x && !IsSmallInteger(x)
                && v.Dimension != KpiDimensions.Municipality)
            .Select(v => (double)v.Value!.Value).ToList();
        var mine = own.Values.Where(v => v.Value is not null).Select(v => (double)v.Value!.Value).ToList();
        Assert.DoesNotContain(wb.Worksheet(Ozg).RowsUsed(), r => r.Cell(1).GetString() == KpiDimensions.NrwKey
            && r.CellsUsed().Any(c => c.DataType == XLDataType.Number));
        foreach (var ws in wb.Worksheets.Where(w => w.Name is not "Definitionen"))
            foreach (var cell in ws.CellsUsed().Where(c => c.DataType == XLDataType.Number))
            {
                var x = cell.GetDouble();
                Assert.False(aggregates.Any(a => Close(a, x)) && !mine.Any(o => Close(o, x)),
                    $"provider {scope.Key} sees the NRW aggregate {x} in {ws.Name}!{cell.Address}");
            }
    }

    static void AssertCell(KpiScope scope, IXLCell cell, decimal? expected)
    {
        if (expected is null)
        {
            // Empty, or the label that says why (an aggregate withheld from a provider).
            Assert.True(cell.IsEmpty() || cell.GetString().Length == 0 || cell.GetString() == Withheld,
                $"{scope}: {cell.Worksheet.Name}!{cell.Address} = {Show(cell)}, but the scope's snapshot has no value");
            return;
        }
        Assert.True(cell.DataType == XLDataType.Number && Close((double)expected.Value, cell.GetDouble()),
            $"{scope}: {cell.Worksheet.Name}!{cell.Address} = {Show(cell)}, the snapshot says {expected}");
    }

    const string Withheld = "nicht ausgewiesen (Anonymitätsregel)";

    static bool IsSmallInteger(decimal x) => x == Math.Round(x) && Math.Abs(x) <= 100;

    static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(a));
}
