namespace Reporting.Uploads;

/// <summary>
/// The return template's layout, shared by the writers (template, generator) and the reader: sheet names,
/// header texts, the cover labels and the version marker. The reader matches headers by text, so the
/// positions here are where we write, not where we expect to read.
/// </summary>
public static class ReturnTemplateLayout
{
    public const string Title = "Meldung kommunaler IT-Dienstleister";
    public const string TemplateId = "KIT-MELDUNG";
    public const string Version = "1.0";
    /// <summary>
    /// Versions the reader accepts; an older layout is refused with the hint to download the current one.
    /// </summary>
    public static readonly IReadOnlySet<string> SupportedVersions = new HashSet<string> { Version };

    // Custom document properties (docProps/custom.xml) carrying the marker; the cover repeats it in cells.
    public const string TemplateIdProperty = "KIT-Vorlage";
    public const string VersionProperty = "KIT-Vorlagenversion";
    /// <summary>Defined name whose value is the version (for people looking at Formulas > Names).</summary>
    public const string VersionDefinedName = "KIT_Vorlagenversion";

    public const string CoverSheet = "Deckblatt";
    public const string CostSheet = "Kosten";
    public const string SupplySheet = "Versorgung";
    public const string OzgSheet = "OZG";
    public const string GuidanceSheet = "Hinweise";
    /// <summary>Hidden sheet holding the drop-down lists.</summary>
    public const string ListsSheet = "Listen";

    /// <summary>Header row of the table sheets (1-based); rows 1-2 hold title and hint.</summary>
    public const int HeaderRow = 3;
    public const int FirstDataRow = 4;

    // Cover labels (column A), value in column B.
    public const string CoverProviderCode = "Dienstleister-Kennung";
    public const string CoverProviderName = "Dienstleister";
    public const string CoverPeriod = "Meldezeitraum";
    public const string CoverContact = "Ansprechperson";
    public const string CoverStaffFte = "Personal (VZÄ)";
    public const string CoverStatedTotal = "Gesamtkosten in EUR";
    public const string CoverTemplateId = "Vorlage";
    public const string CoverTemplateVersion = "Vorlagenversion";
    public static readonly string[] CoverLabels =
        [CoverProviderCode, CoverProviderName, CoverPeriod, CoverContact, CoverStaffFte, CoverStatedTotal,
            CoverTemplateId, CoverTemplateVersion];
    /// <summary>First cover row with a label.</summary>
    public const int CoverFirstRow = 4;

    // Sheet "Kosten": one row per service, one amount column per cost type (named like cost_types.name).
    public const string CostServiceCode = "Leistungscode";
    public const string CostServiceName = "Leistung";
    public const string CostRowTotal = "Summe";

    // Sheet "Versorgung".
    public const string SupplyAgs = "AGS";
    public const string SupplyMunicipality = "Gemeinde";
    public const string SupplyService = "Leistungscode";
    public const string SupplyWorkstations = "Arbeitsplätze";
    public const string SupplyUsers = "Nutzer";
    public const string SupplyCharges = "Entgelte in EUR";
    public static readonly string[] SupplyHeaders = [SupplyAgs, SupplyMunicipality, SupplyService, SupplyWorkstations,
        SupplyUsers, SupplyCharges];

    // Sheet "OZG".
    public const string OzgAgs = "AGS";
    public const string OzgMunicipality = "Gemeinde";
    public const string OzgId = "OZG-ID";
    public const string OzgName = "OZG-Leistung";
    public const string OzgMaturity = "Reifegrad";
    public const string OzgEfa = "EfA";
    public const string OzgOnlineSince = "Online seit";
    public static readonly string[] OzgHeaders = [OzgAgs, OzgMunicipality, OzgId, OzgName, OzgMaturity, OzgEfa,
        OzgOnlineSince];

    /// <summary>A version read back as a number (1 for "1.0") in the form we write it.</summary>
    public static string? NormalizeVersion(string? v) =>
        v is not null && double.TryParse(v, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture) : v;

    /// <summary>Where to get the current template, for messages that refuse a workbook.</summary>
    public static string DownloadHint(string? period) =>
        $"Bitte laden Sie die aktuelle Vorlage „{TemplateId}“ Version {Version} herunter: GET "
            + $"/api/template?period={period ?? "JJJJ"} " +
        $"(oder auf der Kommandozeile: template --period {period ?? "JJJJ"} --out Meldung.xlsx).";
}
