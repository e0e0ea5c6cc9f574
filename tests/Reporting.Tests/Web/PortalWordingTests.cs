using Reporting.Uploads;
using Reporting.Web;

namespace Reporting.Tests.Web;

/// <summary>What the portal tells a provider: German quotes in messages, and each period's state.</summary>
public sealed class PortalWordingTests
{
    [Theory]
    [InlineData("Der Zeitraum '2025-Q5' ist ungültig.", "Der Zeitraum „2025-Q5“ ist ungültig.")]
    [InlineData("Blatt \"Kosten\" fehlt.", "Blatt „Kosten“ fehlt.")]
    [InlineData("nennt 'KDZA', hochgeladen hat sie 'ITVB'.", "nennt „KDZA“, hochgeladen hat sie „ITVB“.")]
    [InlineData("Das geht's nicht.", "Das geht's nicht.")]
    public void Messages_get_German_quotes_and_apostrophes_in_words_stay(string text, string shown) =>
        Assert.Equal(shown, HtmlPage.Plain(text));

    static readonly DateOnly Deadline = new(2026, 3, 31);   // a Tuesday

    [Fact]
    public void A_period_without_any_upload_is_missing_until_its_deadline_and_late_the_day_after()
    {
        Assert.Equal(PeriodStates.Missing, PortalData.Judge("2025", Deadline, Deadline, null, null, null, null).State);
        var late = PortalData.Judge("2025", Deadline, Deadline.AddDays(1), null, null, null, null);
        Assert.Equal(PeriodStates.Late, late.State);
        Assert.Contains("noch keine Meldung", late.Detail);
    }

    [Fact]
    public void A_deadline_on_a_holiday_moves_to_the_next_working_day()
    {
        // 2026-04-03 is Good Friday: the deadline moves to Tuesday 7 April (Easter Monday is a holiday too).
        var p = PortalData.Judge("2025", new DateOnly(2026, 4, 3), new DateOnly(2026, 4, 6), null, null, null, null);
        Assert.Equal(new DateOnly(2026, 4, 7), p.Deadline);
        Assert.Equal(PeriodStates.Missing, p.State);
    }

    [Fact]
    public void An_accepted_return_wins_over_a_later_rejection_and_says_when_it_came_after_the_deadline()
    {
        var onTime = PortalData.Judge("2025", Deadline, Deadline.AddDays(30), 7, Deadline, 9, ReturnStates.Rejected);
        Assert.Equal((ReturnStates.Accepted, 7L, ""), (onTime.State, onTime.VersionId!.Value, onTime.Detail));
        var late = PortalData.Judge("2025", Deadline, Deadline.AddDays(30), 7, Deadline.AddDays(2), 7,
            ReturnStates.Accepted);
        Assert.Equal("nach der Frist angenommen", late.Detail);
    }

    [Theory]
    [InlineData(ReturnStates.Received, ReturnStates.Received)]
    [InlineData(ReturnStates.Rejected, ReturnStates.Rejected)]
    public void Before_the_deadline_the_latest_upload_decides(string latest, string state) =>
        Assert.Equal(state, PortalData.Judge("2025", Deadline, Deadline, null, null, 5, latest).State);
}
