using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Uploads;

public static class ProvidersCommand
{
    public static Command Create() => Verbs.NotBuiltYet("providers", "Providers and their API keys (add, list, key)", 3);
}
