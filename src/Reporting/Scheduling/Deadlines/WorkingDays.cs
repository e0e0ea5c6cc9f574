using PublicHoliday;

namespace Reporting.Scheduling.Deadlines;

/// <summary>Working days in North Rhine-Westphalia: Monday to Friday without NRW's public holidays.</summary>
public static class WorkingDays
{
    static readonly GermanPublicHoliday Nrw = new() { State = GermanPublicHoliday.States.NW };

    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !Nrw.IsPublicHoliday(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>A deadline on a weekend or holiday moves to the next working day (as §193 BGB has it).</summary>
    public static DateOnly EffectiveDeadline(DateOnly deadline)
    {
        while (!IsWorkingDay(deadline)) deadline = deadline.AddDays(1);
        return deadline;
    }

    /// <summary>
    /// The working day that lies <paramref name="count"/> working days before <paramref name="day"/>.
    /// </summary>
    public static DateOnly Before(DateOnly day, int count)
    {
        while (count > 0)
        {
            day = day.AddDays(-1);
            if (IsWorkingDay(day)) count--;
        }
        return day;
    }
}
