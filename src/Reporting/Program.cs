using Reporting.Cli;

// One deployable app: the web host (serve), the job workers (worker) and the operator verbs.
// `dotnet run --project src/Reporting -- --help` lists them.
return await ReportingCommandLine.Create().Parse(args).InvokeAsync();
