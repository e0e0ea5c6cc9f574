namespace Reporting.Ingestion;

// The contract between reading/validating a return workbook (ReturnReader, ReturnValidator) and storing it
// (intake, ingestion). Positions are kept with every fact, so any KPI value leads back to a sheet and cell.

public enum Severity { Error, Warning }

/// <summary>One finding, in German for the provider: where (sheet, A1 cell), what value, which rule.</summary>
public sealed record ReturnMessage(Severity Severity, string Sheet, string Cell, string Value, string Rule, string Text)
{
    public override string ToString() =>
        $"{(Severity == Severity.Error ? "Fehler" : "Warnung")}: {Where}{Text}"
        + (Value.Length > 0 ? $" (Wert: '{Value}')" : "") + $" [{Rule}]";

    /// <summary>"Sheet!A1: ", "Sheet: " or nothing (a message about the file as a whole).</summary>
    string Where => (Sheet.Length, Cell.Length) switch
    {
        (0, 0) => "",
        (_, 0) => $"{Sheet}: ",
        (0, _) => $"{Cell}: ",
        _ => $"{Sheet}!{Cell}: ",
    };
}

/// <summary>The cover sheet.</summary>
public sealed record ReturnCover(
    string ProviderCode, string ProviderName, string Period, string Contact,
    decimal? StaffFte, decimal? StatedTotal, string TemplateVersion);

public sealed record CostLine(string ServiceCode, string CostType, decimal Amount, string Sheet, string Cell);

public sealed record SupplyLine(string Ags, string ServiceCode, int Workstations, int Users, decimal Charges,
    string Sheet, int Row);

public sealed record OzgLine(string Ags, int OzgId, short Maturity, bool Efa, DateOnly? OnlineSince, string Sheet,
    int Row);

/// <summary>
/// Takes a return's facts one by one as they are read and checked (ingestion: into PostgreSQL while reading).
/// </summary>
public interface IFactConsumer
{
    void Cost(CostLine fact);
    void Supply(SupplyLine fact);
    void Ozg(OzgLine fact);
}

/// <summary>What the later checks need of facts that were passed on as read instead of kept.</summary>
public sealed record StreamedFacts(int Costs, int Supply, int Ozg, decimal CostTotal, long Workstations);

/// <summary>What a workbook says, after tolerant parsing, and every message found on the way.</summary>
public sealed class ParsedReturn
{
    public ReturnCover? Cover { get; set; }
    /// <summary>Set when the facts went to an <see cref="IFactConsumer"/> instead of into the lists below.</summary>
    public StreamedFacts? Streamed { get; set; }
    public List<CostLine> Costs { get; } = [];
    public List<SupplyLine> Supply { get; } = [];
    public List<OzgLine> Ozg { get; } = [];
    public List<ReturnMessage> Messages { get; } = [];

    public bool HasErrors => Messages.Any(m => m.Severity == Severity.Error);
    public int ErrorCount => Messages.Count(m => m.Severity == Severity.Error);
    public int WarningCount => Messages.Count(m => m.Severity == Severity.Warning);
}
