using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Reports;

public static class RenderCommand
{
    public static Command Create() => Verbs.NotBuiltYet("render", "Render charts and executive workbooks", 5);
}
