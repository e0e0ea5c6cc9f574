using Reporting.Scheduling.Deadlines;

namespace Reporting.Tests.Scheduling;

public sealed class WorkingDaysTests
{
    [Fact]
    public void Easter_Monday_and_Corpus_Christi_are_holidays_in_NRW()
    {
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 4, 6)));   // Ostermontag
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 6, 4)));   // Fronleichnam (NRW, not everywhere)
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 11, 1)));  // Allerheiligen (a Sunday anyway)
        Assert.False(WorkingDays.IsWorkingDay(new DateOnly(2026, 10, 31)));  // a Saturday
        Assert.True(WorkingDays.IsWorkingDay(new DateOnly(2026, 4, 7)));
        Assert.True(WorkingDays.IsWorkingDay(new DateOnly(2026, 11, 18)));  // Buß- und Bettag is no holiday in NRW
    }

    [Fact]
    public void Three_working_days_before_the_Monday_after_Corpus_Christi_is_the_Tuesday_before()
    {
        // Mon 08.06.2026 <- Fri 05.06 (1), Thu 04.06 Fronleichnam skipped, Wed 03.06 (2), Tue 02.06 (3)
        Assert.Equal(new DateOnly(2026, 6, 2), WorkingDays.Before(new DateOnly(2026, 6, 8), 3));
    }

    [Fact]
    public void A_deadline_on_Easter_Monday_moves_to_Tuesday()
    {
        Assert.Equal(new DateOnly(2026, 4, 7), WorkingDays.EffectiveDeadline(new DateOnly(2026, 4, 6)));
        Assert.Equal(new DateOnly(2026, 4, 7),
            WorkingDays.EffectiveDeadline(new DateOnly(2026, 4, 3)));   // Karfreitag, weekend, Ostermontag
        Assert.Equal(new DateOnly(2026, 4, 8), WorkingDays.EffectiveDeadline(new DateOnly(2026, 4, 8)));
    }

    [Fact]
    public void Five_working_days_before_the_day_after_Easter_Monday_reach_back_before_Good_Friday()
    {
        // Tue 07.04.2026 <- (Mon 06.04 Ostermontag, Sun, Sat, Fri 03.04 Karfreitag) Thu 02.04 (1), Wed 01.04 (2), Tue
        // 31.03 (3), Mon 30.03 (4), Fri 27.03 (5)
        Assert.Equal(new DateOnly(2026, 3, 27), WorkingDays.Before(new DateOnly(2026, 4, 7), 5));
    }
}
