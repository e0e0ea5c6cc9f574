using System.Text.RegularExpressions;
using Reporting.Uploads;

namespace Reporting.Tests.Uploads;

public sealed partial class ReturnStatesTests
{
    [Fact]
    public void The_return_states_in_code_are_exactly_those_the_database_checks()
    {
        var schema = Path.Combine(AppPaths.FindContentRoot(), "data", "schema");
        var constraints = Directory.GetFiles(schema, "*.sql").Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .SelectMany(sql => ReturnVersionsTable().Matches(sql))
            .Select(table => StatusCheck().Match(table.Value))
            .Where(check => check.Success)
            .ToList();

        var check = Assert.Single(constraints);
        var inSql = Quoted().Matches(check.Groups[1].Value).Select(m => m.Groups[1].Value);
        Assert.Equal(inSql.Order(StringComparer.Ordinal), ReturnStates.All.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"create table return_versions \(.*?\n\);", RegexOptions.Singleline)]
    private static partial Regex ReturnVersionsTable();

    [GeneratedRegex(@"status\s+text[^\n]*check \(status in \(([^)]*)\)\)")]
    private static partial Regex StatusCheck();

    [GeneratedRegex("'([a-z_]+)'")]
    private static partial Regex Quoted();
}
