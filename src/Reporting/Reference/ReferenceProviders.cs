using System.Text;
using System.Text.RegularExpressions;

namespace Reporting.Reference;

/// <summary>
/// The providers of a service-area file (nrw_it_dienstleister_versorgungsgebiete.csv): one per distinct name, with
/// the districts published for it. The one place where provider codes are derived, so <c>reference import</c>
/// registers the codes that <c>generate --reference</c> writes into the returns. A <c>kuerzel</c> column, where a
/// file has one (the demo region's), gives the code; otherwise it is derived from the name, stable across runs.
/// </summary>
public static partial class ReferenceProviders
{
    public const string CodeColumn = "kuerzel";
    const int MaxBaseLength = 16;   // the schema allows 20; room for a "-2" suffix

    public sealed record Provider(string Code, string Name, IReadOnlyList<string> Districts);

    /// <summary>Providers in the order of their names (ordinal): the same file always gives the same codes.</summary>
    public static IReadOnlyList<Provider> FromAreas(IEnumerable<IReadOnlyDictionary<string, string>> rows)
    {
        var groups = rows.Where(r => r.GetValueOrDefault("dienstleister", "").Length > 0)
            .GroupBy(r => r["dienstleister"]).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var taken = groups.Select(g => g.First().GetValueOrDefault(CodeColumn, "")).Where(c => c.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
        return groups.Select(g =>
        {
            var given = g.First().GetValueOrDefault(CodeColumn, "");
            var code = given.Length > 0 ? given : DeriveCode(g.Key, taken);
            var districts = g.Select(r => r.GetValueOrDefault("kreis_schluessel", ""))
                .Where(k => k.Length == 5).Distinct().ToList();
            return new Provider(code, g.Key, districts);
        }).ToList();
    }

    /// <summary>
    /// A code matching <c>^[A-Z0-9][A-Z0-9_-]{1,19}$</c>, read from the name: "ST-"/"KR-" and the place for a city's
    /// or district's own IT (ST-KOELN), a short abbreviation with its place (ITK-RHEINLAND), else the first word
    /// (KRZN, CIVITEC, SUEDWESTFALEN-IT), the bracketed short form of a long name (OWL-IT); a name whose code is taken
    /// gets "-2", "-3", ...
    /// </summary>
    public static string DeriveCode(string name, ISet<string> taken)
    {
        string[] legalForms = ["gmbh", "aör", "aor", "eg", "ev"];
        var main = name.Split('(')[0];
        var words = main.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !legalForms.Contains(w.ToLowerInvariant())).ToList();
        if (words.Count == 0) words = [.. name.Split([' ', '(', ')', ','], StringSplitOptions.RemoveEmptyEntries)];
        var first = words[0].ToLowerInvariant();
        string raw;
        if (first is "stadt" or "bundesstadt" && words.Count > 1) raw = "ST-" + words[1];
        else if (first == "kreis" && words.Count > 1) raw = "KR-" + words[1];
        else if (words.Count == 2 && words[0].Length <= 4) raw = words[0] + "-" + words[1];
        else raw = words[0];

        var code = Ascii(raw);
        // A long name that carries its short form in brackets ("Ostwestfalen-Lippe-IT (OWL-IT, ...)") is known by it.
        var bracket = name.Contains('(') ? name[(name.IndexOf('(') + 1)..].Split([',', ')'])[0].Trim() : "";
        if (code.Length > MaxBaseLength && ShortForm().IsMatch(bracket)) code = bracket;
        code = Shorten(code);
        if (code.Length < 2) code = "DL" + code;
        var unique = code;
        for (var i = 2; !taken.Add(unique); i++) unique = $"{code}-{i}";
        return unique;
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,9}$")]
    private static partial Regex ShortForm();

    static string Ascii(string text)
    {
        var sb = new StringBuilder();
        var upper = text.ToUpperInvariant()
            .Replace("Ä", "AE").Replace("Ö", "OE").Replace("Ü", "UE").Replace("ß", "SS");
        foreach (var c in upper)
            if (char.IsAsciiLetterOrDigit(c) || c == '-') sb.Append(c);
        return sb.ToString().Trim('-');
    }

    /// <summary>Long codes are cut at a hyphen (ENNEPE-RUHR-KREIS: ENNEPE-RUHR), in a word only if need be.</summary>
    static string Shorten(string code)
    {
        while (code.Length > MaxBaseLength && code.LastIndexOf('-') > 1) code = code[..code.LastIndexOf('-')];
        return code.Length > MaxBaseLength ? code[..MaxBaseLength] : code;
    }
}
