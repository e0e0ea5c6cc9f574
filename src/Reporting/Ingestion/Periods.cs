using System.Text.RegularExpressions;
using Npgsql;

namespace Reporting.Ingestion;

/// <summary>
/// Reporting periods ('2025', '2025-Q1', '2025-H2'): created on first use, so returns' foreign keys hold.
/// </summary>
public static partial class Periods
{
    /// <summary>A period's text form: a year, a quarter or a half year ("2025", "2025-Q1", "2025-H2").</summary>
    public static bool IsValid(string period) => Pattern().IsMatch(period);

    /// <summary>The same pattern for an HTML input's <c>pattern</c> attribute (anchored by the browser).</summary>
    public const string HtmlPattern = "[0-9]{4}(-(Q[1-4]|H[12]))?";

    [GeneratedRegex("^" + HtmlPattern + "$")]
    private static partial Regex Pattern();

    public static (DateOnly Starts, DateOnly Ends) Bounds(string period)
    {
        var year = int.Parse(period[..4], System.Globalization.CultureInfo.InvariantCulture);
        var (first, months) = period.Length == 4 ? (1, 12)
            : period[5] == 'Q' ? ((period[6] - '1') * 3 + 1, 3)
            : ((period[6] - '1') * 6 + 1, 6);
        var starts = new DateOnly(year, first, 1);
        return (starts, starts.AddMonths(months).AddDays(-1));
    }

    /// <summary>
    /// The deadline: the configured number of months after the period's end (3: 31 March of the following year).
    /// </summary>
    public static DateOnly Deadline(string period, int monthsAfterEnd)
    {
        var end = Bounds(period).Ends;
        var d = end.AddMonths(monthsAfterEnd);
        return new DateOnly(d.Year, d.Month, DateTime.DaysInMonth(d.Year, d.Month));
    }

    public static async Task EnsureAsync(NpgsqlConnection conn, string period, int deadlineMonthsAfterEnd,
        CancellationToken ct)
    {
        var (starts, ends) = Bounds(period);
        await using var cmd = new NpgsqlCommand("""
            insert into periods (period, starts_on, ends_on, deadline) values ($1, $2, $3, $4)
              on conflict (period) do nothing
            """, conn);
        cmd.Parameters.Add(new() { Value = period });
        cmd.Parameters.Add(new() { Value = starts });
        cmd.Parameters.Add(new() { Value = ends });
        cmd.Parameters.Add(new() { Value = Deadline(period, deadlineMonthsAfterEnd) });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
