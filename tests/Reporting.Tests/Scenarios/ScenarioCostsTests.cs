using Reporting.Reports;
using Reporting.Scenarios;
using static Reporting.Scenarios.ScenarioCosts;
using static Reporting.Tests.Scenarios.ScenarioTestWorld;

namespace Reporting.Tests.Scenarios;

/// <summary>The cost models on <see cref="ScenarioTestWorld"/>, computed by hand in each test.</summary>
public sealed class ScenarioCostsTests
{
    static readonly Dictionary<string, PowerFit> NoCurves = [];

    static ScenarioPlan Plan(string changes)
    {
        var problems = Problems($$"""{"name": "x", "period": "2025", "changes": [{{changes}}]}""", out var plan);
        Assert.Empty(problems);
        return plan!;
    }

    const string MoveM3Arb = """{"move": {"municipalities": ["05162008"]}, "services": ["ARB"], "to": "A"}""";

    [Fact]
    public void A_move_costs_the_receivers_unit_cost_and_the_sender_saves_its_own()
    {
        var cells = Apply(Create(), Plan(MoveM3Arb), CostModel.ReceivingUnitCost, 0, NoCurves);
        // B gives 100 ARB workstations of 300 (2,000 each): 600,000 - 100 x 2,000 = 400,000 for 200.
        Assert.Equal(new Cell(600_000m, 400_000m, 200), cells[("B", "ARB")]);
        // A takes them at its own 3,000: 300,000 + 100 x 3,000 = 600,000 for 200.
        Assert.Equal(new Cell(300_000m, 600_000m, 200), cells[("A", "ARB")]);
        Assert.Equal(cells[("C", "FIN")], new Cell(200_000m, 200_000m, 100));
        // Everything: 600,000 + 400,000 + 50,000 + 200,000 + 8,000.
        Assert.Equal(1_258_000m, Total(cells));
    }

    [Fact]
    public void The_sender_keeps_the_remanent_share_of_the_cost_it_gives_up()
    {
        var cells = Apply(Create(), Plan(MoveM3Arb), CostModel.ReceivingUnitCost, 0.2m, NoCurves);
        // 400,000 + 20 % of the 200,000 given up.
        Assert.Equal(440_000m, cells[("B", "ARB")].ModelCost);
        Assert.Equal(600_000m, cells[("A", "ARB")].ModelCost);
    }

    [Fact]
    public void Along_the_scale_curve_unit_costs_move_by_volume_ratio_to_the_power_b()
    {
        var curves = new Dictionary<string, PowerFit> { ["ARB"] = new(1, -0.5, 1) };
        var cells = Apply(Create(), Plan(MoveM3Arb), CostModel.ScaleCurve, 0, curves);
        // A: 3,000 x (200 / 100)^-0.5 x 200 = 424,264.07; B: 2,000 x (200 / 300)^-0.5 x 200 = 489,897.95.
        Assert.Equal(424_264.07m, Math.Round(cells[("A", "ARB")].ModelCost, 2));
        Assert.Equal(489_897.95m, Math.Round(cells[("B", "ARB")].ModelCost, 2));
    }

    [Fact]
    public void Without_a_curve_the_scale_model_keeps_unit_costs_as_they_are()
    {
        var flat = Apply(Create(), Plan(MoveM3Arb), CostModel.ScaleCurve, 0, NoCurves);
        var receiving = Apply(Create(), Plan(MoveM3Arb), CostModel.ReceivingUnitCost, 0, NoCurves);
        Assert.Equal(receiving, flat);
        Assert.Empty(Curves(Create()));   // two providers per service at most: no fit
    }

    [Fact]
    public void A_merger_runs_the_joint_volume_at_the_unit_cost_of_the_provider_merged_into()
    {
        var cells = Apply(Create(), Plan("""{"merge": ["A", "B"], "into": "A"}"""), CostModel.ReceivingUnitCost,
            0.2m, NoCurves);
        // ARB: 400 workstations x A's 3,000 = 1,200,000, plus 20 % of B's 600,000 as remanent cost.
        Assert.Equal(new Cell(900_000m, 1_320_000m, 400), cells[("A", "ARB")]);
        Assert.Equal(new Cell(50_000m, 50_000m, 50), cells[("A", "FIN")]);
        Assert.False(cells.ContainsKey(("B", "ARB")));
    }

    [Fact]
    public void A_merger_into_a_new_provider_runs_each_service_at_the_largest_parts_unit_cost()
    {
        var cells = Apply(Create(), Plan("""{"merge": ["A", "B"], "into": {"code": "NEU", "name": "Neu"}}"""),
            CostModel.ReceivingUnitCost, 0, NoCurves);
        // ARB: B has 300 of 400 workstations: 400 x 2,000.
        Assert.Equal(800_000m, cells[("NEU", "ARB")].ModelCost);
    }

    [Fact]
    public void Factors_scale_each_providers_cost_rows_to_the_modelled_cost()
    {
        var cells = Apply(Create(), Plan(MoveM3Arb), CostModel.ReceivingUnitCost, 0, NoCurves);
        var factors = Factors(cells, out var unscaled);
        Assert.Equal(2m, factors[("A", "ARB")]);
        Assert.Equal(400_000m / 600_000m, factors[("B", "ARB")]);
        Assert.False(factors.ContainsKey(("C", "FIN")));
        Assert.Empty(unscaled);
    }

    [Fact]
    public void No_changes_leave_every_cost_as_reported()
    {
        var cells = Apply(Create(), new ScenarioPlan([]), CostModel.ScaleCurve, 0.2m, NoCurves);
        Assert.Empty(Factors(cells, out _));
        Assert.Equal(1_158_000m, Total(cells));
    }
}
