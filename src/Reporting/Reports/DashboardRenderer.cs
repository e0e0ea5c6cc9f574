using Reporting.Kpis;
using Npgsql;

namespace Reporting.Reports;

/// <summary>One recipient's dashboard, in memory: workbook, chart images, key figures for a mail body.</summary>
public sealed record RenderedDashboard(
    long SnapshotId, string Period, KpiScope Scope, string ScopeLabel, bool Provisional,
    byte[] Workbook, string WorkbookFileName,
    IReadOnlyList<(string Name, byte[] Png)> Charts,
    IReadOnlyList<(string Name, string Svg)> SvgCharts,
    IReadOnlyList<KeyFigure> KeyFigures)
{
    /// <summary>
    /// Writes the workbook and the charts (name.png, name.svg) into a folder; returns the paths written.
    /// </summary>
    public IReadOnlyList<string> WriteTo(string dir)
    {
        Directory.CreateDirectory(dir);
        var paths = new List<string>();
        void Write(string name,
            byte[] bytes) { var p = Path.Combine(dir, name); File.WriteAllBytes(p, bytes); paths.Add(p); }
        Write(WorkbookFileName, Workbook);
        foreach (var (name, png) in Charts) Write($"{Prefix}{name}.png", png);
        foreach (var (name, svg) in SvgCharts) Write($"{Prefix}{name}.svg", System.Text.Encoding.UTF8.GetBytes(svg));
        return paths;
    }

    string Prefix => $"{Scope.FileTag}-{Period}-";
}

/// <summary>
/// Renders dashboards: loads a snapshot cut to a scope (<see cref="DashboardLoader"/>), draws the charts and builds
/// the workbook. The render verb and the delivery jobs call this.
/// </summary>
public sealed class DashboardRenderer(NpgsqlDataSource db, KpiCatalogue catalogue, SnapshotReader snapshots)
{
    public Task<long?> LatestSnapshotAsync(string period, CancellationToken ct = default)
        => DashboardLoader.LatestSnapshotAsync(db, period, ct);

    /// <summary>Every district (key and name, by key): the scopes of "all district dashboards".</summary>
    public async Task<IReadOnlyList<(string Key, string Name)>> DistrictsAsync(CancellationToken ct = default)
    {
        var districts = new List<(string, string)>();
        await using var cmd = db.CreateCommand("select key, name from districts order by key");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) districts.Add((r.GetString(0), r.GetString(1)));
        return districts;
    }

    /// <summary>The scoped data a dashboard is drawn from (for the mail's findings beside the rendering).</summary>
    public Task<DashboardData> LoadAsync(long snapshotId, KpiScope scope, CancellationToken ct = default)
        => DashboardLoader.LoadAsync(db, catalogue, snapshots, snapshotId, scope, ct);

    public async Task<RenderedDashboard> RenderAsync(long snapshotId, KpiScope scope, bool svg = false,
        CancellationToken ct = default)
    {
        var data = await DashboardLoader.LoadAsync(db, catalogue, snapshots, snapshotId, scope, ct);
        return Render(data, svg);
    }

    public static RenderedDashboard Render(DashboardData data, bool svg = false)
    {
        var charts = DashboardCharts.Build(data);
        var pngs = charts.Select(c => (c.Name, c.Png())).ToList();
        var svgs = svg ? charts.Select(c => (c.Name, c.Svg())).ToList() : [];
        var workbook = ExecutiveWorkbook.Build(data, pngs, charts);
        return new RenderedDashboard(data.SnapshotId, data.Period, data.Scope, data.ScopeLabel, data.Provisional,
            workbook,
            $"IT-Dashboard-{data.Scope.FileTag}-{data.Period}.xlsx", pngs, svgs, KeyFigures.Format(data));
    }
}
