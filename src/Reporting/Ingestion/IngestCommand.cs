using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Ingestion;

public static class IngestCommand
{
    public static Command Create() => Verbs.NotBuiltYet("ingest", "Validate and ingest provider returns", 3);
}
