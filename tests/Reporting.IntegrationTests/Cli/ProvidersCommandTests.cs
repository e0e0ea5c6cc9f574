using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Reporting.Access;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Cli;

/// <summary>The providers verb, run as a user runs it: the app as a separate process against a test database.</summary>
public sealed class ProvidersCommandTests
{
    [Fact]
    public async Task Add_and_key_print_the_key_alone_on_their_last_line_and_list_shows_one_provider_per_line()
    {
        await using var db = await TestDatabase.CreateAsync();

        var (addCode, addOut) = await RunAsync(db, "providers", "add", "KDZA", "--name", "KDZ Auenland", "--email",
            "it@kdz.example");
        var (_, _) = await RunAsync(db, "providers", "add", "ITVB", "--name", "ITV Brückenfeld");
        var (keyCode, keyOut) = await RunAsync(db, "providers", "key", "KDZA");
        var (listCode, listOut) = await RunAsync(db, "providers", "list");

        Assert.Equal(0, addCode);
        Assert.Equal(0, keyCode);
        Assert.Equal(0, listCode);
        var added = LastLine(addOut);
        var renewed = LastLine(keyOut);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", added);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", renewed);
        var keys = new ProviderKeys(db.DataSource);
        Assert.Null(await keys.AuthenticateAsync(added));
        Assert.Equal("KDZA", await keys.AuthenticateAsync(renewed));
        var lines = listOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("ITVB ", lines[0]);
        Assert.StartsWith("KDZA ", lines[1]);
        Assert.DoesNotContain(renewed, listOut);
    }

    [Theory]
    [InlineData("KDZ\r\nAuenland", null, "the name of provider KDZA contains a control or line-break character "
        + "(U+000D)")]
    [InlineData("KDZ\u0085Auenland", null, "the name of provider KDZA contains a control or line-break character "
        + "(U+0085)")]
    [InlineData("KDZ Auenland", "it@kdz.example\u2028Bcc: x@evil.example", "the contact address of provider KDZA "
        + "contains a control or line-break character (U+2028)")]
    public async Task Add_refuses_a_name_or_address_with_a_control_or_line_break_character_and_stores_nothing(
        string name, string? email, string says)
    {
        await using var db = await TestDatabase.CreateAsync();

        List<string> args = ["providers", "add", "KDZA", "--name", name];
        if (email is not null) args.AddRange(["--email", email]);
        var r = await AppProcess.RunAsync(db, args, null);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: {says}; nothing was stored", r.Err.Trim());
        Assert.Equal(0L, await db.ScalarAsync<long>("select count(*) from providers"));
    }

    static string LastLine(string output) => output.TrimEnd().Split('\n')[^1].Trim();

    static async Task<(int Code, string Out)> RunAsync(TestDatabase db, params string[] args)
    {
        var r = await AppProcess.RunAsync(db, args);
        Assert.True(r.ExitCode == 0, r.Err);
        return (r.ExitCode, r.Out);
    }
}
