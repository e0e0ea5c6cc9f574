using Reporting.Cli;

namespace Reporting.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("demo"), InlineData("serve"), InlineData("worker"), InlineData("template"), InlineData("ingest"),
        InlineData("kpis")]
    [InlineData("render"), InlineData("send"), InlineData("db"), InlineData("reference"), InlineData("providers"),
        InlineData("generate")]
    public void Every_verb_the_operators_rely_on_exists_and_has_help(string verb)
    {
        var root = ReportingCommandLine.Create();
        var command = Assert.Single(root.Subcommands, c => c.Name == verb);
        Assert.False(string.IsNullOrWhiteSpace(command.Description));

        var output = new StringWriter();
        var exit = root.Parse([verb, "--help"]).Invoke(new() { Output = output });
        Assert.Equal(0, exit);
        Assert.Contains(verb, output.ToString());
    }

    [Theory]
    [InlineData("db", "start"), InlineData("db", "stop"), InlineData("db", "migrate"), InlineData("db", "status"),
        InlineData("reference", "import")]
    public void Subcommands_exist(string verb, string sub)
    {
        var command = ReportingCommandLine.Create().Subcommands.Single(c => c.Name == verb);
        Assert.Contains(command.Subcommands, c => c.Name == sub);
    }

    [Fact]
    public void A_verb_that_is_not_built_yet_says_so_and_exits_non_zero()
    {
        var command = Verbs.NotBuiltYet("example", "An example", 99);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.NotEqual(0, command.Parse([]).Invoke());
        }
        finally { Console.SetError(original); }
        Assert.Contains("#99", error.ToString());
    }
}
