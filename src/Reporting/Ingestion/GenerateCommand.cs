using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Ingestion;

public static class GenerateCommand
{
    public static Command Create() => Verbs.NotBuiltYet("generate", "Generate deterministic demo returns", 3);
}
