using Reporting.Scenarios;
using static Reporting.Tests.Scenarios.ScenarioTestWorld;

namespace Reporting.Tests.Scenarios;

public sealed class ScenarioValidationTests
{
    static string Only(string changes)
    {
        var problems = Problems($$"""{"name": "x", "period": "2025", "changes": [{{changes}}]}""", out var plan);
        Assert.Null(plan);
        return Assert.Single(problems);
    }

    [Fact]
    public void An_unknown_period_stops_everything()
    {
        var s = Parse("""{"name": "x", "period": "2030", "changes": []}""");
        Assert.Equal(["Der Zeitraum „2030“ ist unbekannt."], Create(periodExists: false).Validate(s, out var plan));
        Assert.Null(plan);
    }

    [Theory]
    [InlineData("""{"merge": ["A", "XY"], "into": "A"}""", "Änderung 1: Dienstleister „XY“ ist unbekannt.")]
    [InlineData("""{"merge": ["A", "D"], "into": "A"}""",
        "Änderung 1: Dienstleister „D“ hat für 2025 keine angenommene Meldung.")]
    [InlineData("""{"move": {"districts": ["05999"]}, "services": ["ARB"], "to": "A"}""",
        "Änderung 1: Kreis „05999“ ist unbekannt.")]
    [InlineData("""{"move": {"municipalities": ["05162099"]}, "services": ["ARB"], "to": "A"}""",
        "Änderung 1: Gemeinde „05162099“ ist unbekannt.")]
    [InlineData("""{"move": {"municipalities": ["05162004"]}, "services": ["XYZ"], "to": "A"}""",
        "Änderung 1: Leistung „XYZ“ ist unbekannt.")]
    [InlineData("""{"move": {"municipalities": ["05162004"]}, "services": ["ARB"], "to": "ZZ"}""",
        "Änderung 1: Dienstleister „ZZ“ ist unbekannt.")]
    public void Unknown_codes_are_named(string change, string message) => Assert.Equal(message, Only(change));

    [Fact]
    public void A_receiving_provider_must_already_run_the_service_it_takes_over()
        => Assert.Equal("Änderung 1: Dienstleister „C“ erbringt die Leistung „ARB“ (Arbeitsplatz-IT) im Zeitraum 2025 "
            + "nicht und kann sie nicht übernehmen.",
            Only("""{"move": {"municipalities": ["05162004"]}, "services": ["ARB"], "to": "C"}"""));

    [Fact]
    public void Moving_all_services_needs_the_receiver_to_run_each_of_them()
        => Assert.Equal("Änderung 1: Dienstleister „A“ erbringt die Leistung „POR“ (Serviceportal) im Zeitraum 2025 "
            + "nicht und kann sie nicht übernehmen.",
            Only("""{"move": {"districts": ["05162"]}, "services": "all", "to": "A"}"""));

    [Fact]
    public void A_move_that_moves_nothing_is_an_empty_change()
        => Assert.Equal("Änderung 1: verlagert nichts – die genannten Leistungen dieser Gemeinden erbringt schon „A“ "
            + "oder niemand.",
            Only("""{"move": {"municipalities": ["05111000"]}, "services": ["ARB", "FIN"], "to": "A"}"""));

    [Fact]
    public void A_provider_merged_away_cannot_take_part_in_a_later_change()
        => Assert.Equal("Änderung 2: Dienstleister „B“ ist schon in Änderung 1 in „A“ aufgegangen.",
            Only("""
                {"merge": ["A", "B"], "into": "A"},
                {"move": {"municipalities": ["05111000"]}, "services": ["ARB"], "to": "B"}
                """));

    [Fact]
    public void Moving_the_same_municipality_and_service_twice_contradicts_the_first_move()
        => Assert.Equal("Änderung 2: widerspricht Änderung 1: Gemeinde „Dormagen“ (05162004) verlagert die Leistung "
            + "„ARB“ dort schon.",
            Only("""
                {"move": {"municipalities": ["05162004"]}, "services": ["ARB"], "to": "A"},
                {"move": {"districts": ["05162"]}, "services": ["ARB"], "to": "B"}
                """));

    [Fact]
    public void Merging_into_another_existing_provider_or_a_new_one_without_name_is_refused()
    {
        Assert.Equal("Änderung 1: „C“ ist ein anderer bestehender Dienstleister; \"into\" muss einer der "
            + "fusionierenden sein oder ein neuer Code mit Namen.",
            Only("""{"merge": ["A", "B"], "into": "C"}"""));
        Assert.Equal("Änderung 1: der neue Dienstleister „NEU“ braucht einen Namen (\"name\").",
            Only("""{"merge": ["A", "B"], "into": "NEU"}"""));
    }

    [Fact]
    public void Every_problem_is_listed_not_only_the_first()
    {
        var problems = Problems("""
            {"name": "x", "period": "2025", "changes": [
              {"merge": ["A", "XY"], "into": "A"},
              {"move": {"municipalities": ["05162099"]}, "services": ["XYZ"], "to": "A"}]}
            """, out var plan);
        Assert.Null(plan);
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void A_valid_scenario_resolves_districts_to_municipalities_and_all_to_the_services_supplied()
    {
        var problems = Problems("""
            {"name": "x", "period": "2025", "changes": [
              {"merge": ["B", "C"], "into": {"code": "NEU", "name": "Neu IT"}},
              {"move": {"municipalities": ["05111000"]}, "services": "all", "to": "NEU"}]}
            """, out var plan);
        Assert.Empty(problems);
        var merge = Assert.IsType<MergeStep>(plan!.Steps[0]);
        Assert.Equal(("NEU", "B"), (merge.Into, merge.Target));
        var move = Assert.IsType<MoveStep>(plan.Steps[1]);
        Assert.Equal([M1], move.Municipalities);
        Assert.Equal(["ARB", "FIN"], move.Services);
        Assert.Equal(("NEU", false), (move.To, move.TakesOzg));
    }
}
