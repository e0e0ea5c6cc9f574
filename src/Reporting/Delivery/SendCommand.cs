using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Delivery;

public static class SendCommand
{
    public static Command Create() => Verbs.NotBuiltYet("send", "Send dashboards by mail", 6);
}
