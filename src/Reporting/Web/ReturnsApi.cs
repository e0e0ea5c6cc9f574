using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Reporting.Ingestion;
using Reporting.Web;
using Reporting.Reference;
using Reporting.Uploads;
using Reporting.Access;
using Reporting.Pipeline;

namespace Reporting.Web;

/// <summary>
/// The returns API. A provider submits and reads only its own returns (another provider's id answers 404, as if it
/// did not exist); an admin reads all.
/// </summary>
public static class ReturnsApi
{
    public static void MapReturnsApi(this WebApplication app)
    {
        const string xlsx = ApiDocumentation.XlsxType;
        app.MapPost("/api/returns", SubmitAsync).RequireAuthorization(Auth.ApiProviderPolicy)
            .DisableAntiforgery()   // API key only, so no anti-forgery token needed
            .Produces<ReturnReceipt>(StatusCodes.Status202Accepted).Produces<ReturnReceipt>()
            .ProducesProblem(400).Produces(401).ProducesProblem(408).ProducesProblem(413).ProducesProblem(429)
            .ProducesProblem(503)
            .AddOpenApiOperationTransformer(ApiDocumentation.UploadBody);
        app.MapGet("/api/returns/{id:long}", GetAsync).RequireAuthorization(Auth.ProviderOrAdminPolicy)
            .WithName("ReturnStatus").WithSummary("Stand und Meldungen einer eingereichten Version")
            .Produces<ReturnStatus>().Produces(401).Produces(404);
        app.MapGet("/api/returns/{id:long}/feedback", FeedbackAsync).RequireAuthorization(Auth.ProviderOrAdminPolicy)
            .WithSummary("Die Rückmeldung: die eingereichte Arbeitsmappe mit jeder Meldung an ihrer Zelle")
            .Produces<Stream>(200, xlsx).Produces(401).Produces(404).ProducesProblem(409).ProducesProblem(410);
        app.MapGet("/api/returns/{id:long}/changes", ChangesAsync).RequireAuthorization(Auth.ProviderOrAdminPolicy)
            .WithSummary("Was sich gegenüber der vorigen Version geändert hat")
            .Produces<ReturnChanges>().Produces(401).Produces(404);
        app.MapGet("/api/template", TemplateAsync).RequireAuthorization(Auth.ProviderOrAdminPolicy)
            .WithSummary("Die Meldevorlage des Zeitraums (?period=2025), der eigene Code vorausgefüllt")
            .Produces<Stream>(200, xlsx).ProducesProblem(400).Produces(401);
    }

    /// <summary>
    /// POST /api/returns: a multipart form with one file, or the workbook as the raw body (?fileName=... names it).
    /// </summary>
    static async Task<IResult> SubmitAsync(
        HttpContext http, UploadIntake intake, UploadQuota quota, UploadGate gate, IOptions<UploadsOptions> options,
        CancellationToken ct)
    {
        var provider = http.User.ProviderCode()!;
        var max = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > max) return TooLarge(max);
        using var slot = gate.TryEnter(http, provider, out var busy);
        if (slot is null) return busy!;
        var admission = await quota.StartAsync(provider, http.Request.ContentLength, ct);
        if (admission.Refused is { } refusal) return UploadQuota.TooMany(http, refusal);
        // The storage quota binds on the bytes as they come, whether or not Content-Length announced them.
        var allowed = Math.Min(max, admission.StorageLeft);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = max;

        UploadSpool content;
        string fileName;
        try
        {
            // Streamed to a temporary file while hashed; the form reader itself spools files above 64 KB to disk.
            if (http.Request.HasFormContentType)
            {
                http.Features.Set<IFormFeature>(new FormFeature(http.Request,
                    new FormOptions { MultipartBodyLengthLimit = allowed }));
                var form = await http.Request.ReadFormAsync(slot.Receiving);
                if (form.Files.Count != 1) return Results.Problem(
                    "Bitte genau eine Datei hochladen (Formularfeld 'file').", statusCode: 400);
                var file = form.Files[0];
                await using var s = file.OpenReadStream();
                (content, fileName) = (await UploadSpool.CopyAsync(s, allowed, slot.Receiving), file.FileName);
            }
            else
            {
                content = await UploadSpool.CopyAsync(http.Request.Body, allowed, slot.Receiving);
                fileName = http.Request.Query["fileName"].FirstOrDefault() ?? $"{provider}.xlsx";
            }
        }
        catch (OperationCanceledException) when (slot.TimedOut)
        {
            return slot.TooSlow(http);
        }
        // Over the limit: the answer names it. Any other unreadable body is answered by InputGuard (400).
        catch (Exception e) when (e is UploadTooLargeException || InputGuard.IsTooLarge(e))
        {
            return allowed < max ? UploadQuota.TooMany(http, quota.StorageFull()) : TooLarge(max);
        }
        await using var spooled = content;
        if (content.Length == 0) return Results.Problem("Die hochgeladene Datei ist leer.", statusCode: 400);
        if (InputGuard.HasControlChars(fileName)) return InputGuard.BadInput();

        var receipt = await intake.SubmitAsync(content, fileName, provider, $"api:{provider}", ct);
        // Bytes only another provider holds were stored anew for this one (UploadStore): a fresh upload's answer.
        var statusUrl = $"/api/returns/{receipt.VersionId}";
        var body = new { id = receipt.VersionId, status = receipt.Status, statusUrl, recognised = receipt.Recognised };
        // Known bytes are answered with the version that already carries them; nothing new was accepted for processing.
        return receipt.Recognised ? Results.Ok(body) : Results.Accepted(statusUrl, body);
    }

    static async Task<IResult> GetAsync(long id, ClaimsPrincipal user, ReturnVersions versions, CancellationToken ct)
    {
        var v = await versions.GetAsync(id, ct);
        if (v is null || !MayRead(user, v)) return Results.NotFound();
        return Results.Ok(new
        {
            id = v.Id, status = v.Status, provider = v.ProviderCode, period = v.Period, version = v.Version,
            fileName = v.FileName, sizeBytes = v.SizeBytes, sha256 = v.Sha256, submittedBy = v.SubmittedBy,
            submittedAt = v.SubmittedAt, decidedAt = v.DecidedAt, supersededBy = v.SupersededBy,
            errors = v.ErrorCount, warnings = v.WarningCount,
            messages = v.Messages.Select(m => new { severity = m.Severity.ToString().ToLowerInvariant(), m.Sheet,
                m.Cell, m.Value, m.Rule, m.Text }),
            feedbackUrl = $"/api/returns/{v.Id}/feedback", changesUrl = $"/api/returns/{v.Id}/changes",
        });
    }

    /// <summary>The provider's workbook with every message at its cell (A1's FeedbackWorkbook).</summary>
    static async Task<IResult> FeedbackAsync(long id, ClaimsPrincipal user, ReturnVersions versions,
        FeedbackStore feedback, CancellationToken ct)
    {
        var v = await versions.GetAsync(id, ct);
        if (v is null || !MayRead(user, v)) return Results.NotFound();
        if (v.Status == ReturnStates.Received)
            return Results.Problem("Die Meldung wird noch geprüft.", statusCode: 409);
        // Served from a temporary file (disposed, so deleted, after the response): never one array of up to 100 MB.
        if (await feedback.OpenAsync(id, ct) is not { } workbook)
            return Results.Problem("Die Datei wurde nach Ablauf der Aufbewahrungsfrist gelöscht.",
                statusCode: StatusCodes.Status410Gone);
        return Results.File(workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"Rueckmeldung-{Path.GetFileNameWithoutExtension(v.FileName)}.xlsx");
    }

    static async Task<IResult> ChangesAsync(long id, ClaimsPrincipal user, ReturnVersions versions, VersionDiff diff,
        CancellationToken ct)
    {
        var v = await versions.GetAsync(id, ct);
        if (v is null || !MayRead(user, v)) return Results.NotFound();
        var (previous, changes) = await diff.CompareAsync(id, ct);
        return Results.Ok(new { id, previousVersionId = previous, changes });
    }

    /// <summary>
    /// GET /api/template?period=2025: the return template (A1's ReturnTemplate), the provider's code prefilled.
    /// </summary>
    static async Task<IResult> TemplateAsync(string? period, ClaimsPrincipal user, Npgsql.NpgsqlDataSource db,
        CancellationToken ct)
    {
        if (period is null || !System.Text.RegularExpressions.Regex.IsMatch(period, "^[0-9]{4}(-(Q[1-4]|H[12]))?$"))
            return Results.Problem("Bitte den Meldezeitraum angeben, z. B. ?period=2025.", statusCode: 400);
        var catalog = await ReferenceCatalog.LoadAsync(db, ct);
        var bytes = ReturnTemplate.Create(period, catalog, user.ProviderCode());
        return Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"Meldung-{user.ProviderCode() ?? "Vorlage"}-{period}.xlsx");
    }

    static bool MayRead(ClaimsPrincipal user, ReturnVersionInfo v) =>
        user.IsAdmin() || (user.ProviderCode() is { } code && code == v.ProviderCode);

    static IResult TooLarge(long max) =>
        Results.Problem($"Die Datei ist zu groß (höchstens {max / (1024 * 1024)} MB).",
            statusCode: StatusCodes.Status413PayloadTooLarge);
}
