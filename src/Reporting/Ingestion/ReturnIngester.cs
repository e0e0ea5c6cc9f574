using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Reference;
using Reporting.Uploads;

namespace Reporting.Ingestion;

/// <param name="AlreadyDecided">The version had been decided before this call; nothing was changed.</param>
public sealed record IngestOutcome(
    long VersionId, string Status, int? Version, string? ProviderCode, string? Period,
    IReadOnlyList<ReturnMessage> Messages, bool AlreadyDecided, long? SupersededVersionId)
{
    public int ErrorCount => Messages.Count(m => m.Severity == Severity.Error);
    public int WarningCount => Messages.Count(m => m.Severity == Severity.Warning);
}

/// <summary>
/// Exactly-once ingestion of a received return version. Everything happens in one transaction that first locks
/// the version row (a second run waits, then sees the decision and changes nothing) and then, per provider and
/// period, an advisory lock (concurrent versions of one return are numbered and superseded one after the other).
/// A run that dies half-way rolls back completely; the retry starts from 'received' again.
/// </summary>
public sealed partial class ReturnIngester(NpgsqlDataSource db, IOptions<IngestionOptions> options,
    IOptions<UploadsOptions> limits, ILogger<ReturnIngester> log)
{
    internal static readonly JsonSerializerOptions Json = new(
        JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Test seam: runs inside the transaction after the facts were copied, before the commit.</summary>
    internal Func<NpgsqlConnection, Task>? AfterFactsLoaded { get; set; }

    /// <summary>
    /// Test seam: rows per batch of the facts loaded while reading (tests use tiny batches to get many).
    /// </summary>
    internal int StreamBatchRows { get; set; } = StreamingFactLoader.BatchRows;

    /// <summary>
    /// Reads and validates the stored upload (the provider's workbook) and stores the verdict, in one transaction
    /// that holds the version row from the start. The facts go into PostgreSQL while the workbook is read
    /// (<see cref="StreamingFactLoader"/>), after a savepoint: a rejection rolls them back to it and keeps only the
    /// verdict; a crash rolls back everything. No fact is held in memory as a whole.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(long versionId, CancellationToken ct = default)
    {
        var catalog = await ReferenceCatalog.LoadAsync(db, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        string fileName; string? owner; string? uploadedFor; string status;
        await using (var cmd = new NpgsqlCommand("""
            select rv.status, rv.provider_code, u.file_name, u.provider_code
            from return_versions rv join uploads u on u.id = rv.upload_id where rv.id = $1
            for update of rv
            """, conn, tx))
        {
            cmd.Parameters.Add(new() { Value = versionId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"no return version {versionId}");
            (status, owner, fileName, uploadedFor) = (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
                r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
        }
        if (status != ReturnStates.Received)
        {
            await tx.CommitAsync(ct);
            return await OutcomeAsync(versionId, ct) with { AlreadyDecided = true };
        }

        await tx.SaveAsync(FactsSavepoint, ct);
        ParsedReturn parsed;
        (int Costs, int Supply, int Ozg) loaded;
        Exception? failure;
        // The workbook goes to a temporary file first: the loader has the connection while the workbook is read.
        await using (var stream = await UploadContent.OpenAsync(conn, tx, versionId, ct) ?? new MemoryStream())
        await using (var loader = await StreamingFactLoader.StartAsync(conn, versionId, StreamBatchRows, ct))
        {
            parsed = new ReturnValidator(catalog, limits.Value).Validate(stream, fileName,
                new ValidationContext(uploadedFor), loader);
            (loaded, failure) = await loader.CompleteAsync();
        }
        if (failure is not null && (failure is not PostgresException { SqlState: var state }
            || !state.StartsWith("23", StringComparison.Ordinal)))
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (failure is PostgresException refused && !parsed.HasErrors)
            parsed.Messages.Add(SchemaRefused(versionId, refused));

        try
        {
            // A rejection (found while reading, or by DecideAsync's guards) rolls the streamed facts back to the
            // savepoint.
            return await DecideAsync(conn, tx, versionId, owner, parsed, () => Task.FromResult(loaded),
                () => tx.RollbackAsync(FactsSavepoint, ct), ct);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("23", StringComparison.Ordinal) && !parsed.HasErrors)
        {
            parsed.Messages.Add(SchemaRefused(versionId, e));
            await tx.RollbackAsync(ct);
            return await StoreOnceAsync(versionId, parsed, ct);
        }
    }

    const string FactsSavepoint = "facts";

    /// <summary>
    /// Stores the verdict on a parsed return: accepted (facts loaded, previous version superseded) or rejected
    /// (messages kept).
    /// </summary>
    public async Task<IngestOutcome> StoreAsync(long versionId, ParsedReturn parsed, CancellationToken ct = default)
    {
        try
        {
            return await StoreOnceAsync(versionId, parsed, ct);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("23", StringComparison.Ordinal) && !parsed.HasErrors)
        {
            parsed.Messages.Add(SchemaRefused(versionId, e));
            return await StoreOnceAsync(versionId, parsed, ct);
        }
    }

    /// <summary>
    /// The validator let through something the schema refuses (a duplicate key, an unknown reference): the
    /// provider gets a rejection that says so instead of a job that fails forever.
    /// </summary>
    ReturnMessage SchemaRefused(long versionId, PostgresException e)
    {
        // The database's own words (table, constraint, key values) go to the log only, never to the provider.
        log.LogWarning(e, "Return version {VersionId} violates a database rule ({Constraint}: {Detail}); rejecting it",
            versionId, e.ConstraintName ?? e.SqlState, e.Detail);
        return new(Severity.Error, "", "", "", "L8-Datenbank",
            "Die Meldung widerspricht den gespeicherten Stammdaten und wurde nicht übernommen. "
            + "Bitte wenden Sie sich an die Geschäftsstelle.");
    }

    async Task<IngestOutcome> StoreOnceAsync(long versionId, ParsedReturn parsed, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        string status; string? uploader;
        await using (var cmd = new NpgsqlCommand(
            "select status, provider_code from return_versions where id = $1 for update", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = versionId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"no return version {versionId}");
            (status, uploader) = (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1));
        }
        if (status != ReturnStates.Received)
        {
            await tx.CommitAsync(ct);
            return await OutcomeAsync(versionId, ct) with { AlreadyDecided = true };
        }
        return await DecideAsync(conn, tx, versionId, uploader, parsed, ()
            => FactLoader.LoadAsync(conn, versionId, parsed, ct), () => Task.CompletedTask, ct);
    }

    /// <summary>
    /// The verdict, with the version row locked: rejected (messages kept; <paramref name="discardFacts"/> undoes
    /// facts loaded before) or accepted (<paramref name="loadFacts"/>, numbered, the previous version superseded).
    /// </summary>
    async Task<IngestOutcome> DecideAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long versionId,
        string? uploader, ParsedReturn parsed,
        Func<Task<(int Costs, int Supply, int Ozg)>> loadFacts, Func<Task> discardFacts, CancellationToken ct)
    {
        var messages = parsed.Messages;
        var cover = parsed.Cover;
        var provider = uploader ?? cover?.ProviderCode;
        var period = cover?.Period;

        // Storage guards, for what the schema needs even if the validator let it pass.
        if (!parsed.HasErrors)
        {
            if (cover is null)
                messages.Add(new(Severity.Error, "Deckblatt", "", "", "L8-Zuordnung",
                    "Das Deckblatt fehlt; die Meldung kann keinem Dienstleister und Zeitraum zugeordnet werden."));
            else if (uploader is not null && !string.Equals(cover.ProviderCode, uploader, StringComparison.Ordinal))
                messages.Add(new(Severity.Error, "Deckblatt", "", cover.ProviderCode, "L8-Zuordnung",
                    $"Die Meldung nennt den Dienstleister '{cover.ProviderCode}', hochgeladen hat sie '{uploader}'."));
            else if (!await ProviderExistsAsync(conn, cover.ProviderCode, ct))
                messages.Add(new(Severity.Error, "Deckblatt", "", cover.ProviderCode, "L8-Zuordnung",
                    $"Der Dienstleister '{cover.ProviderCode}' ist nicht registriert."));
            else if (!Periods.IsValid(cover.Period))
                messages.Add(new(Severity.Error, "Deckblatt", "", cover.Period, "L8-Zuordnung",
                    $"Der Zeitraum '{cover.Period}' ist ungültig (erwartet z. B. 2025)."));
        }

        // Before anything else is written: a rollback to the facts' savepoint would undo it too.
        if (parsed.HasErrors) await discardFacts();

        // A code that names no registered provider is kept in the messages only: provider_code refers to providers.
        if (provider is not null && !await ProviderExistsAsync(conn, provider, ct)) provider = null;
        long? returnId = null;
        if (provider is not null && period is not null && Periods.IsValid(period))
        {
            // One return (provider, period) at a time: numbering and superseding must not interleave.
            await Exec(conn, "select pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))", ct, provider,
                period);
            await Periods.EnsureAsync(conn, period, options.Value.DeadlineMonthsAfterPeriodEnd, ct);
            returnId = await ReturnIdAsync(conn, provider, period, ct);
        }

        if (!parsed.HasErrors)
            await Plausibility.CheckAsync(conn, provider!, period!, parsed, options.Value.MaxCostPerWorkstationChange,
                ct);

        var json = JsonSerializer.Serialize(messages, Json);
        if (parsed.HasErrors)
        {
            await Exec(conn, """
                update return_versions
                  set status = 'rejected', return_id = $2, provider_code = coalesce(provider_code, $3), period = $4,
                       template_version = $5, contact = $6, staff_fte = $7, stated_total = $8,
                       messages = $9::jsonb, error_count = $10, warning_count = $11, decided_at = now()
                where id = $1
                """, ct, versionId, returnId, provider, period, cover?.TemplateVersion, cover?.Contact, cover?.StaffFte,
                cover?.StatedTotal, json, parsed.ErrorCount, parsed.WarningCount);
            await tx.CommitAsync(ct);
            log.LogInformation("Return version {VersionId} ({Provider} {Period}) rejected with {Errors} errors",
                versionId, provider, period, parsed.ErrorCount);
            return new(versionId, ReturnStates.Rejected, null, provider, period, messages, false, null);
        }

        var loaded = await loadFacts();
        if (AfterFactsLoaded is { } hook) await hook(conn);

        long? previous = null;
        await using (var cmd = new NpgsqlCommand(
            "select id from return_versions where return_id = $1 and status = 'accepted' for update", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = returnId!.Value });
            if (await cmd.ExecuteScalarAsync(ct) is long p) previous = p;
        }
        if (previous is not null)
            await Exec(conn, "update return_versions set status = 'superseded', superseded_by = $2 where id = $1", ct,
                previous.Value, versionId);
        int version;
        await using (var cmd = new NpgsqlCommand(
            "select coalesce(max(version), 0) + 1 from return_versions where return_id = $1", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = returnId.Value });
            version = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await Exec(conn, """
            update return_versions
              set status = 'accepted', version = $2, return_id = $3, provider_code = $4, period = $5,
                   template_version = $6, contact = $7, staff_fte = $8, stated_total = $9,
                   messages = $10::jsonb, error_count = 0, warning_count = $11, decided_at = now()
            where id = $1
            """, ct, versionId, version, returnId.Value, provider, period, cover!.TemplateVersion, cover.Contact,
            cover.StaffFte, cover.StatedTotal, json, parsed.WarningCount);
        // Which districts the provider serves follows from what it reports: scopes (a district's dashboard shows the
        // providers that serve it) and per-district completeness read provider_districts.
        await Exec(conn, """
            insert into provider_districts (provider_code, district_key, evidence)
            select distinct $2, m.district_key, 'Meldung ' || $3 from supply_facts sf
              join municipalities m on m.ags = sf.ags
            where sf.return_version_id = $1
            on conflict (provider_code, district_key) do nothing
            """, ct, versionId, provider, period);
        await tx.CommitAsync(ct);
        log.LogInformation(
            "Return version {VersionId} ({Provider} {Period}) accepted as version {Version}: {Costs} cost, {Supply} "
                + "supply, {Ozg} OZG facts",
            versionId, provider, period, version, loaded.Costs, loaded.Supply, loaded.Ozg);
        return new(versionId, ReturnStates.Accepted, version, provider, period, messages, false, previous);
    }

    /// <summary>The stored verdict of a version.</summary>
    public async Task<IngestOutcome> OutcomeAsync(long versionId, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            select status, version, provider_code, period, messages::text,
                   (select id from return_versions s where s.superseded_by = rv.id)
            from return_versions rv where id = $1
            """);
        cmd.Parameters.Add(new() { Value = versionId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"no return version {versionId}");
        return new(versionId, r.GetString(0), r.IsDBNull(1) ? null : r.GetInt32(1), r.IsDBNull(2)
            ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3), ReadMessages(r.GetString(4)), false, r.IsDBNull(5)
                ? null : r.GetInt64(5));
    }

    public static List<ReturnMessage> ReadMessages(string json)
        => JsonSerializer.Deserialize<List<ReturnMessage>>(json, Json) ?? [];

    static async Task<bool> ProviderExistsAsync(NpgsqlConnection conn, string code, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select exists (select 1 from providers where code = $1)", conn);
        cmd.Parameters.Add(new() { Value = code });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    static async Task<long> ReturnIdAsync(NpgsqlConnection conn, string provider, string period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            with ins as (insert into returns (provider_code, period) values ($1, $2) on conflict do nothing
              returning id)
            select id from ins union all select id from returns where provider_code = $1 and period = $2
            """, conn);
        cmd.Parameters.Add(new() { Value = provider });
        cmd.Parameters.Add(new() { Value = period });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new() { Value = a ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

}
