namespace Reporting.Ingestion;

/// <summary>Who uploads, for the checks that depend on it (layer 5: the provider in the file is the uploader).</summary>
/// <param name="UploadingProviderCode">The authenticated provider; null for admins and the command line.</param>
public sealed record ValidationContext(string? UploadingProviderCode);

/// <summary>
/// Reads a return workbook streaming and checks it in layers (file, template, structure, types, domain,
/// cross-field); every message names sheet, cell, value and rule, in German. Implemented with the reader.
/// </summary>
public sealed class ReturnValidator(ReferenceCatalog catalog)
{
    public ReferenceCatalog Catalog { get; } = catalog;

    public ParsedReturn Validate(Stream content, string fileName, ValidationContext context) =>
        throw new NotImplementedException("the return reader is not built yet");
}
