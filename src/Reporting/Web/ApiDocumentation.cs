using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Reporting.Web;

/// <summary>
/// What /openapi/v1.json says beyond the endpoints' own metadata: the API key as bearer scheme on every /api
/// operation, German descriptions of the answers, the headers of 401/429/503, and the two body forms of an upload.
/// </summary>
static class ApiDocumentation
{
    public const string BearerScheme = "bearer";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    static readonly Dictionary<string, string> Answers = new()
    {
        ["200"] = "OK.",
        ["202"] = "Angenommen: die Datei ist gespeichert und wird im Hintergrund geprüft; der Stand steht unter "
            + "statusUrl (Header Location).",
        ["400"] = "Ungültige Anfrage (Problem-JSON mit einem deutschen Satz in detail).",
        ["401"] = "Kein oder ein ungültiger API-Schlüssel: ohne Body, mit dem Header WWW-Authenticate: Bearer.",
        ["403"] = "Für den Aufrufer nicht freigegeben: ein Ausschnitt außerhalb seines Bereichs, oder eine Funktion "
            + "nur für Admins (Problem-JSON).",
        ["404"] = "Gibt es nicht, oder nicht für diesen Aufrufer (eine Meldung eines anderen Dienstleisters "
            + "ebenso).",
        ["408"] = "Der Upload kam nicht innerhalb von Uploads:MaxUploadSeconds an und wurde abgebrochen "
            + "(Problem-JSON).",
        ["409"] = "Die Meldung wird noch geprüft (Problem-JSON).",
        ["410"] = "Die Datei wurde nach Ablauf der Aufbewahrungsfrist gelöscht (Problem-JSON).",
        ["413"] = "Die Datei ist größer als Uploads:MaxUploadBytes (Problem-JSON).",
        ["429"] = "Zu viele Uploads in der Stunde, zu viel gespeichert oder schon ein laufender Upload desselben "
            + "Dienstleisters (Problem-JSON), oder zu viele falsche "
            + "API-Schlüssel von dieser Adresse (ohne Body); Retry-After nennt die Sekunden bis zum nächsten Versuch.",
        ["503"] = "Gerade zu viele Uploads gleichzeitig oder die Datenbank ist nicht erreichbar (Problem-JSON; bei "
            + "Überlast mit Retry-After).",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Kennzahlen kommunale IT NRW";
            document.Info.Description = "Meldungen der IT-Dienstleister einreichen und ihren Stand lesen, Kennzahlen "
                + "abrufen. Anmeldung mit dem API-Schlüssel des Dienstleisters als Bearer-Token.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Der API-Schlüssel des Dienstleisters: Authorization: Bearer <Schlüssel>. "
                    + "Admins lesen mit ihrer Anmeldung (Cookie) alle Meldungen.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
                return Task.CompletedTask;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
            foreach (var (code, response) in operation.Responses ?? [])
            {
                if (response is not OpenApiResponse r) continue;
                if (Answers.TryGetValue(code, out var text)) r.Description = text;
                if (code == "200" && operation.Responses!.ContainsKey("202"))
                    r.Description = "Dieselben Bytes hat dieser Dienstleister schon eingereicht: die bestehende "
                        + "Version (recognised: true); nichts Neues wird geprüft.";
                if (code == "401") Header(r, "WWW-Authenticate", "Immer \"Bearer\".", JsonSchemaType.String);
                if (code is "429" or "503")
                    Header(r, "Retry-After", "Sekunden bis zum nächsten Versuch.", JsonSchemaType.Integer);
                if (code == "202") Header(r, "Location", "Wie statusUrl.", JsonSchemaType.String);
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>POST /api/returns: a multipart form with the field file, or the workbook itself as the body.</summary>
    public static Task UploadBody(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        operation.Summary = "Eine Meldung (Arbeitsmappe) einreichen";
        operation.Description = "Zwei Formen: multipart/form-data mit genau einer Datei im Feld file, oder die "
            + "Arbeitsmappe selbst als Body (Content-Type " + XlsxType + ", Dateiname mit ?fileName=...). "
            + "Dieselben Bytes desselben Dienstleisters noch einmal: 200 mit der bestehenden Version (recognised).";
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "Die Arbeitsmappe (höchstens Uploads:MaxUploadBytes).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                        },
                    },
                },
                [XlsxType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "fileName", In = ParameterLocation.Query, Required = false,
            Description = "Nur beim Body als Arbeitsmappe: ihr Dateiname (sonst CODE.xlsx).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        return Task.CompletedTask;
    }

    static void Header(OpenApiResponse response, string name, string description, JsonSchemaType type)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description,
            Schema = new OpenApiSchema { Type = type } };
    }
}
