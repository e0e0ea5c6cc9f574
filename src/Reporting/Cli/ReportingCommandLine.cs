using System.CommandLine;
using Reporting.Database;
using Reporting.Demo;
using Reporting.Delivery;
using Reporting.Ingestion;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Reports;
using Reporting.Scheduling;
using Reporting.Uploads;
using Reporting.Cli.Commands;

namespace Reporting.Cli;

public static class ReportingCommandLine
{
    public static RootCommand Create()
        => new("Reporting: cost and coverage figures of NRW's municipal IT service providers.")
    {
        DemoCommand.Create(),
        WebCommands.Serve(),
        WebCommands.Worker(),
        TemplateCommand.Create(),
        IngestCommand.Create(),
        KpisCommand.Create(),
        ScenarioCommand.Create(),
        RenderCommand.Create(),
        SendCommand.Create(),
        DbCommand.Create(),
        ReferenceCommand.Create(),
        ProvidersCommand.Create(),
        GenerateCommand.Create(),
    };
}
