using Reporting.Scenarios;

namespace Reporting.Tests.Scenarios;

public sealed class ScenarioParserTests
{
    static string Only(string json)
    {
        var parsed = ScenarioParser.Parse(json);
        Assert.Null(parsed.Scenario);
        return Assert.Single(parsed.Problems);
    }

    [Fact]
    public void A_merger_and_a_move_are_read_with_their_codes_in_capitals_and_in_order()
    {
        var s = ScenarioTestWorld.Parse("""
            {"name": "Test", "period": "2025", "remanentShare": 0.3, "changes": [
              {"merge": ["kdza", "ITVB"], "into": "KDZA"},
              {"move": {"districts": ["05870"]}, "services": ["ARB"], "to": "KDZA"},
              {"move": {"municipalities": ["05870004"]}, "services": "all", "to": "WTIT"},
              {"merge": ["A", "B"], "into": {"code": "NEU", "name": "Neu IT"}}]}
            """);
        Assert.Equal(("Test", "2025", 0.3m), (s.Name, s.Period, s.RemanentShare));
        var merge = Assert.IsType<MergeChange>(s.Changes[0]);
        Assert.Equal(["KDZA", "ITVB"], merge.Providers);
        var move = Assert.IsType<MoveChange>(s.Changes[1]);
        Assert.Equal(["05870"], move.Districts);
        Assert.Equal(["ARB"], move.Services!);
        Assert.Equal(("KDZA", 2), (move.To, move.Number));
        Assert.Null(Assert.IsType<MoveChange>(s.Changes[2]).Services);
        Assert.Equal(("NEU", "Neu IT"), (((MergeChange)s.Changes[3]).Into, ((MergeChange)s.Changes[3]).NewName));
    }

    [Fact]
    public void No_changes_is_a_valid_scenario_the_baseline_itself()
        => Assert.Empty(ScenarioTestWorld.Parse("""{"name": "leer", "period": "2025", "changes": []}""").Changes);

    [Fact]
    public void Broken_JSON_is_named_with_its_line()
        => Assert.StartsWith("Die Szenario-Datei ist kein gültiges JSON (Zeile 2",
            Only("{\"name\": \"x\",\n \"period\": }"));

    [Fact]
    public void A_missing_name_period_or_change_list_each_get_their_own_sentence()
    {
        var problems = ScenarioParser.Parse("{}").Problems;
        Assert.Equal(["Der Name des Szenarios fehlt (\"name\").", "Der Zeitraum fehlt (\"period\", z. B. \"2025\").",
            "Die Liste der Änderungen fehlt (\"changes\": […]; leer für den Ausgangsstand)."], problems);
    }

    [Theory]
    [InlineData("""{"merge": ["KDZA"], "into": "KDZA"}""",
        "Änderung 1: eine Fusion braucht mindestens zwei verschiedene Dienstleister.")]
    [InlineData("""{"merge": ["KDZA", "KDZA"], "into": "KDZA"}""",
        "Änderung 1: eine Fusion braucht mindestens zwei verschiedene Dienstleister.")]
    [InlineData("""{"merge": ["KDZA", "ITVB"]}""",
        "Änderung 1: die Fusion nennt nicht, in welchen Dienstleister (\"into\").")]
    [InlineData("""{"move": {}, "services": ["ARB"], "to": "KDZA"}""",
        "Änderung 1: die Verlagerung nennt keine Kreise oder Gemeinden.")]
    [InlineData("""{"move": {"districts": []}, "services": ["ARB"], "to": "KDZA"}""",
        "Änderung 1: die Verlagerung nennt keine Kreise oder Gemeinden.")]
    [InlineData("""{"move": {"districts": ["05870"], "municipalities": ["05870004"]}, "services": "all", "to": "K1"}""",
        "Änderung 1: bitte entweder \"districts\" oder \"municipalities\" angeben, nicht beides.")]
    [InlineData("""{"move": {"districts": ["05870"]}, "to": "KDZA"}""",
        "Änderung 1: die Verlagerung nennt keine Leistungen (\"services\": [\"ARB\", …] oder \"all\").")]
    [InlineData("""{"move": {"districts": ["05870"]}, "services": [], "to": "KDZA"}""",
        "Änderung 1: die Liste der Leistungen ist leer (\"services\": [\"ARB\", …] oder \"all\").")]
    [InlineData("""{"move": {"districts": ["05870"]}, "services": ["ARB"]}""",
        "Änderung 1: die Verlagerung nennt nicht, zu welchem Dienstleister (\"to\").")]
    [InlineData("""{"move": {"districts": [5870]}, "services": ["ARB"], "to": "KDZA"}""",
        "Änderung 1: \"districts\" muss eine Liste von Codes in Anführungszeichen sein.")]
    [InlineData("""{"merge": ["A", "B"], "into": "A", "move": {"districts": ["05870"]}}""",
        "Änderung 1: enthält \"merge\" und \"move\" zugleich; bitte je Änderung nur eines.")]
    [InlineData("""{"split": ["A"]}""",
        "Änderung 1: ist weder eine Fusion (\"merge\") noch eine Verlagerung (\"move\").")]
    public void An_empty_or_malformed_change_gets_a_German_sentence_naming_the_change(string change, string message)
        => Assert.Equal(message, Only($$"""{"name": "x", "period": "2025", "changes": [{{change}}]}"""));

    [Fact]
    public void A_remanent_share_outside_0_to_1_is_refused()
        => Assert.Equal("\"remanentShare\" muss eine Zahl zwischen 0 und 1 sein (z. B. 0.2 für 20 %).",
            Only("""{"name": "x", "period": "2025", "remanentShare": 20, "changes": []}"""));

    [Theory]
    [InlineData("Fusion\\nNord", "U+000A")]        // JSON escapes: the parsed name holds the character
    [InlineData("Fusion\\u2028Nord", "U+2028")]
    [InlineData("Fusion\\u0085Nord", "U+0085")]
    public void A_scenario_name_with_a_line_break_is_refused_in_German(string escapedName, string code) =>
        Assert.Equal($"Der Name des Szenarios enthält ein unzulässiges Steuer- oder Umbruchzeichen ({code}).",
            Only($$"""{"name": "{{escapedName}}", "period": "2025", "changes": []}"""));

    [Fact]
    public void A_merged_providers_new_name_with_a_control_character_is_refused_in_German() =>
        Assert.Equal("Änderung 1: der neue Name enthält ein unzulässiges Steuer- oder Umbruchzeichen (U+000D).",
            Only("""
                {"name": "x", "period": "2025",
                 "changes": [{"merge": ["KDZA", "ITVB"], "into": {"code": "KDZA", "name": "Neu\rDienstleister"}}]}
                """));
}
