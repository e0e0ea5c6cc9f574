using Reporting.Reference;

namespace Reporting.Tests.Reference;

/// <summary>The one rule every door applies to names and mail addresses.</summary>
public sealed class NameTextTests
{
    [Theory]
    [InlineData("KDZ\rAuenland", '\r')]
    [InlineData("KDZ\nAuenland", '\n')]
    [InlineData("KDZ\tAuenland", '\t')]
    [InlineData("KDZ\0", '\0')]
    [InlineData("KDZ\u007F", '\u007F')]
    [InlineData("KDZ\u0085Auenland", '\u0085')]       // NEL (C1)
    [InlineData("KDZ\u009BAuenland", '\u009B')]       // CSI (C1)
    [InlineData("KDZ\u2028Auenland", '\u2028')]       // line separator
    [InlineData("KDZ\u2029Auenland", '\u2029')]       // paragraph separator
    [InlineData("dnalneuA\u202EKDZ", '\u202E')]       // right-to-left override
    [InlineData("KDZ\u2066Auenland", '\u2066')]       // left-to-right isolate
    public void A_control_line_break_or_reordering_character_is_found(string text, char found)
    {
        Assert.Equal(found, NameText.Forbidden(text));
        Assert.False(NameText.IsPlain(text));
        Assert.Contains($"U+{(int)found:X4}", NameText.Problem(text));
        Assert.Contains($"U+{(int)found:X4}", NameText.ProblemGerman(text));
    }

    [Fact]
    public void A_lone_surrogate_is_found_and_a_pair_is_not()
    {
        // Built here: a lone surrogate does not survive the test runner's serialisation of theory data.
        Assert.Equal('\uD800', NameText.Forbidden("KDZ" + '\uD800' + "Auenland"));
        Assert.Equal('\uDC00', NameText.Forbidden("KDZ" + '\uDC00' + '\uD800'));
        Assert.Null(NameText.Forbidden("KDZ" + '\uD83D' + '\uDE00'));
    }

    [Theory]
    [InlineData("ITV Brückenfeld – Süd")]
    [InlineData("Zweckverband d-NRW AöR (Köln/Düsseldorf)")]
    [InlineData("vorstand@example.org")]
    [InlineData("Łódź 😀 مرحبا")]   // other scripts and a surrogate pair
    [InlineData("")]
    [InlineData(null)]
    public void Plain_names_and_addresses_in_any_script_pass(string? text)
    {
        Assert.True(NameText.IsPlain(text));
        Assert.Null(NameText.Problem(text));
    }
}
