using Reporting.Uploads;

namespace Reporting.Web;

/// <summary>The states a provider sees per period (a CSS class and a German word each).</summary>
public static class PeriodStates
{
    public const string Missing = "missing";
    public const string Late = "late";

    public static string Word(string state) => state switch
    {
        Missing => "fehlt", Late => "verspätet", ReturnStates.Received => "in Prüfung",
        ReturnStates.Accepted => "angenommen", ReturnStates.Rejected => "abgelehnt",
        ReturnStates.Superseded => "ersetzt", _ => state,
    };
}
