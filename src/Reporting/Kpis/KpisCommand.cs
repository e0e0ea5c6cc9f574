using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Kpis;

public static class KpisCommand
{
    public static Command Create() => Verbs.NotBuiltYet("kpis", "Compute and show KPI snapshots", 4);
}
