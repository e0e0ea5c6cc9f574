using System.ComponentModel;
using System.Reflection;
using Hangfire;
using Reporting.Kpis;

namespace Reporting.Tests.Kpis;

public sealed class KpiJobAndExportTests
{
    [Fact]
    public void The_snapshot_job_runs_on_the_kpis_queue_with_an_explicit_retry_policy_and_a_German_name()
    {
        var run = typeof(KpiSnapshotJob).GetMethod(nameof(KpiSnapshotJob.RunAsync))!;
        Assert.Equal("kpis", run.GetCustomAttribute<QueueAttribute>()!.Queue);
        var retry = run.GetCustomAttribute<AutomaticRetryAttribute>()!;
        Assert.Equal(3, retry.Attempts);
        Assert.Equal(AttemptsExceededAction.Fail, retry.OnAttemptsExceeded);
        var name = run.GetCustomAttribute<DisplayNameAttribute>()!.DisplayName;
        Assert.Equal("Kennzahlen 2025 berechnen",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, name, "2025"));
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+49 211", "'+49 211")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("Düsseldorf", "Düsseldorf")]
    [InlineData("", "")]
    public void Csv_text_that_a_spreadsheet_would_run_as_a_formula_is_escaped(string text, string expected) =>
        Assert.Equal(expected, KpiExport.SafeText(text));

    [Fact]
    public void Comparisons_leave_out_groups_with_too_few_providers_and_take_the_middle_of_an_even_count()
    {
        KpiValue V(string provider, string service, decimal value) =>
            new("unit_cost", "provider_service", $"{provider}|{service}", "", null, provider, value, null, null, null,
                1, false);
        var values = new[] { V("A", "ARB", 10), V("B", "ARB", 40), V("C", "ARB", 20), V("D", "ARB", 30),
            V("A", "FIN", 5), V("B", "FIN", 6) };

        var c = Assert.Single(SnapshotReader.Compare(values, minProviders: 3, onlyGroupsOf: null));
        Assert.Equal(("ARB", 4, 10m, (20m + 30m) / 2, 40m), (c.GroupKey, c.Providers, c.Min, c.Median, c.Max));
        Assert.Empty(SnapshotReader.Compare(values, minProviders: 5, onlyGroupsOf: null));
        Assert.Empty(SnapshotReader.Compare(values, minProviders: 3, onlyGroupsOf: "Z"));
    }
}
