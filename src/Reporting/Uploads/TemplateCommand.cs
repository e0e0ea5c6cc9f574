using System.CommandLine;
using Reporting.Cli;

namespace Reporting.Uploads;

public static class TemplateCommand
{
    public static Command Create() => Verbs.NotBuiltYet("template", "Write the provider return template (xlsx)", 3);
}
