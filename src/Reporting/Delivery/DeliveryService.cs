using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using NpgsqlTypes;

namespace Reporting.Delivery;

/// <summary>What a delivery row records besides the message itself.</summary>
public sealed record DeliveryContext(string Kind, string DedupeKey)
{
    public string? SubscriptionId { get; init; }
    public long? SnapshotId { get; init; }
    public long? ReturnVersionId { get; init; }
    public string? Period { get; init; }
}

public enum DeliveryOutcome { Sent, AlreadySent, Uncertain }

/// <summary>
/// The delivery log and the send step. A mail is first reserved (composed, stored with a deterministic
/// Message-ID under a dedupe key, status 'pending'), then sent by a Hangfire job that only knows the row id.
///
/// Crash safety (a crash between "handed over" and "logged"): the row is marked 'sending' (tries+1) in its own
/// committed statement before the hand-over and 'sent' after it; a failure that we see (exception) puts it back
/// to 'pending' with the error, so Hangfire's retry sends it again. A retry that finds 'sending' knows the
/// previous attempt died in between:
/// - pickup: the .eml file is named after the Message-ID and renamed into place atomically, so its existence
///   decides: present -> 'sent' without writing again; absent -> written now.
/// - SMTP: the server cannot be asked whether it accepted the message, so we choose at-most-once: the row
///   becomes 'uncertain' and is not sent again automatically; the console shows it and an admin can re-send.
///   The deterministic Message-ID lets receiving systems drop a duplicate should one still occur.
/// </summary>
public sealed class DeliveryService(
    NpgsqlDataSource db, MailComposer composer, MailTransport transport, IBackgroundJobClient jobs,
    IOptions<DeliveryOptions> options, IOptions<SmtpOptions> smtp, ILogger<DeliveryService> logger)
{
    public MailComposer Composer => composer;

    /// <summary>A 'sending' row younger than this may still be in flight elsewhere (twice the SMTP timeout).</summary>
    TimeSpan InProgressWindow => TimeSpan.FromSeconds(2 * smtp.Value.TimeoutSeconds);

    /// <summary>
    /// Stores the message under its dedupe key (once) and enqueues its sending. Returns the delivery id.
    /// </summary>
    public async Task<long> QueueAsync(DeliveryContext context, MimeMessage message, MailFile? attachment = null,
        Guid? downloadId = null, CancellationToken ct = default)
    {
        var (id, created) = await ReserveAsync(context, message, attachment, downloadId, null, ct);
        var recipient = message.To.Mailboxes.Single().Address;
        if (created) jobs.Enqueue<DeliveryJobs>(j => j.Send(id, recipient, CancellationToken.None));
        return id;
    }

    /// <summary>
    /// An executive mail: the workbook is attached, or offered as a download when over the size budget.
    /// </summary>
    public async Task<long> QueueExecutiveAsync(ExecutiveReport report, MailRecipient to, DeliveryContext context,
        CancellationToken ct = default)
    {
        string? url = null;
        Guid? downloadId = null;
        var attached = false;
        if (report.Workbook is { } wb && wb.Content.LongLength > options.Value.MaxAttachmentBytes)
        {
            downloadId = await StoreDownloadAsync(wb, ct);
            url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/downloads/{downloadId}";
        }
        else if (report.Workbook is { } small && options.Value.PublicBaseUrl.Length > 0)
        {
            // Attached, and offered as a download too: a phone or a filtering mail server may drop the attachment.
            downloadId = await StoreDownloadAsync(small, ct);
            url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/downloads/{downloadId}";
            attached = true;
        }
        var message = composer.Executive(report, to, url, attached);
        return await QueueAsync(context with { SnapshotId = context.SnapshotId ?? report.SnapshotId,
            Period = context.Period ?? report.Period },
            message, report.Workbook, downloadId, ct);
    }

    /// <summary>The verdict on an upload, to the provider's contact address.</summary>
    public Task<long> QueueProviderVerdictAsync(ProviderVerdict verdict, MailRecipient to,
        CancellationToken ct = default) =>
        QueueAsync(new DeliveryContext("provider-verdict",
            $"verdict:{verdict.ProviderCode}:{verdict.ReturnVersionId?.ToString() ?? verdict.FileName}:"
            + to.Address.Trim().ToLowerInvariant())
        {
            ReturnVersionId = verdict.ReturnVersionId,
            Period = verdict.Period,
        }, composer.ProviderVerdict(verdict, to), verdict.FeedbackWorkbook, null, ct);

    /// <summary>How often the delivery was re-sent so far; the next re-send is number count + 1.</summary>
    public async Task<int> ResendCountAsync(long deliveryId, CancellationToken ct = default)
    {
        await using var count = db.CreateCommand("select count(*)::int from deliveries where resend_of = $1");
        count.Parameters.Add(new() { Value = deliveryId });
        return (int)(await count.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The next re-send (the command line's): see <see cref="ResendAsync(long, int, CancellationToken)"/>.
    /// </summary>
    public async Task<long> ResendAsync(long deliveryId, CancellationToken ct = default)
    {
        var number = await ResendCountAsync(deliveryId, ct) + 1;
        return (await ResendAsync(deliveryId, number, ct)).Id;
    }

    /// <summary>
    /// Re-send number <paramref name="number"/> of a delivery (1 for its first): a new row (new Message-ID) with the
    /// same content, sent by a new job; a download link in it points to a fresh copy, valid for
    /// Delivery:DownloadLinkDays from now. The number is part of the row's dedupe key, so the same re-send asked for
    /// twice (a confirmation posted again) finds the row of the first and sends nothing: Created is false.
    /// </summary>
    public async Task<(long Id, bool Created)> ResendAsync(long deliveryId, int number,
        CancellationToken ct = default)
    {
        var original = await GetAsync(deliveryId, ct)
            ?? throw new InvalidOperationException($"delivery {deliveryId} does not exist");
        var dedupeKey = $"{original.DedupeKey}:resend:{number}";
        await using (var existing = db.CreateCommand("select id from deliveries where dedupe_key = $1"))
        {
            existing.Parameters.Add(new() { Value = dedupeKey });
            if (await existing.ExecuteScalarAsync(ct) is long done) return (done, false);
        }
        var message = await MimeMessage.LoadAsync(new MemoryStream(original.Mime), ct);
        message.Date = DateTimeOffset.UtcNow;
        var context = new DeliveryContext(original.Kind, dedupeKey)
        {
            SubscriptionId = original.SubscriptionId, SnapshotId = original.SnapshotId,
                ReturnVersionId = original.ReturnVersionId, Period = original.Period,
        };
        var downloadId = original.DownloadId;
        if (downloadId is { } expiring && await RenewDownloadAsync(expiring, ct) is { } renewed)
        {
            // The original link may have expired (Delivery:DownloadLinkDays): the re-send offers a new one.
            foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => !p.IsAttachment))
                part.SetText(Encoding.UTF8, part.Text.Replace(expiring.ToString(), renewed.ToString(),
                    StringComparison.OrdinalIgnoreCase));
            downloadId = renewed;
        }
        // Two confirmations at once: the unique dedupe key lets one of them create the row; only that one sends.
        var (id, created) = await ReserveAsync(context, message, null, downloadId,
            (original.AttachmentName, original.AttachmentSha256, original.AttachmentBytes, deliveryId), ct);
        if (!created) return (id, false);
        var recipient = original.RecipientAddress;
        jobs.Enqueue<DeliveryJobs>(j => j.Send(id, recipient, CancellationToken.None));
        logger.LogInformation("Delivery {Id} re-sent as {NewId}", deliveryId, id);
        return (id, true);
    }

    async Task<(long Id, bool Created)> ReserveAsync(DeliveryContext c, MimeMessage message, MailFile? attachment,
        Guid? downloadId,
        (string? Name, byte[]? Sha, long? Bytes, long ResendOf)? copied, CancellationToken ct)
    {
        var to = message.To.Mailboxes.Single();
        message.MessageId = MessageIdFor(c.DedupeKey, message.From.Mailboxes.First().Domain);
        // Through a temporary file into the bytea parameter: a message may carry a 10 MB attachment, base64 encoded.
        await using var mime = Uploads.UploadSpool.CreateTempFile();
        await message.WriteToAsync(mime, ct);
        await mime.FlushAsync(ct);
        await using var cmd = db.CreateCommand("""
            with ins as (
              insert into deliveries (kind, dedupe_key, subscription_id, snapshot_id, return_version_id, period,
                recipient_name, recipient_address, subject, message_id, attachment_name, attachment_sha256,
                attachment_bytes, download_id, mime, resend_of)
              values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
              -- No conflict target: the Message-ID is derived from the key, so a concurrent reservation of the same key
              -- may collide on either unique index first (seen with two new-data jobs for one snapshot).
              on conflict do nothing
              returning id, true as created)
            select id, created from ins
            union all select id, false from deliveries where dedupe_key = $2
            limit 1
            """);
        var p = cmd.Parameters;
        p.Add(new() { Value = c.Kind });
        p.Add(new() { Value = c.DedupeKey });
        p.Add(new() { Value = (object?)c.SubscriptionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)c.SnapshotId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new() { Value = (object?)c.ReturnVersionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new() { Value = (object?)c.Period ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = to.Name ?? "" });
        p.Add(new() { Value = to.Address });
        p.Add(new() { Value = message.Subject ?? "" });
        p.Add(new() { Value = message.MessageId });
        p.Add(new() { Value = (object?)attachment?.FileName ?? copied?.Name ?? (object)DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)(attachment is null ? copied?.Sha : SHA256.HashData(attachment.Content))
            ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new() { Value = (object?)attachment?.Content.LongLength ?? copied?.Bytes ?? (object)DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new() { Value = (object?)downloadId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new() { Value = mime, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new() { Value = (object?)copied?.ResendOf ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        // A reservation committed by another transaction while this statement ran is not in this statement's
        // snapshot: then nothing comes back, and the same statement again (a new snapshot) finds that row.
        for (var attempt = 1; ; attempt++)
        {
            mime.Position = 0;
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) return (r.GetInt64(0), r.GetBoolean(1));
            if (attempt == 3) throw new InvalidOperationException(
                $"delivery '{c.DedupeKey}' could not be reserved or found");
        }
    }

    /// <summary>
    /// Sends one reserved delivery (the Hangfire job's body). Safe to call again: see the class comment.
    /// </summary>
    public async Task<DeliveryOutcome> SendAsync(long deliveryId, CancellationToken ct = default)
    {
        string messageId;
        await using var mime = Uploads.UploadSpool.CreateTempFile();
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            string status, lastTransport;
            double sendingForSeconds;
            await using (var get = new NpgsqlCommand("""
                select status, coalesce(transport, ''), message_id,
                  coalesce(extract(epoch from now() - sending_at), 1e9)::float8, mime
                from deliveries where id = $1 for update
                """, conn, tx))
            {
                get.Parameters.Add(new() { Value = deliveryId });
                // Sequential, the message last and streamed to a file: no array, no growing connection buffer.
                await using var r = await get.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
                if (!await r.ReadAsync(ct)) throw new InvalidOperationException(
                    $"delivery {deliveryId} does not exist");
                (status, lastTransport, messageId, sendingForSeconds) =
                    (r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3));
                if (status is not ("sent" or "uncertain"))
                {
                    await using var field = await r.GetStreamAsync(4, ct);
                    await field.CopyToAsync(mime, ct);
                }
            }
            if (status == "sent") return DeliveryOutcome.AlreadySent;
            if (status == "uncertain") return DeliveryOutcome.Uncertain;
            // Another process (a worker and `send` at once) may be sending it right now: not a crash, try later.
            if (status == "sending" && sendingForSeconds < InProgressWindow.TotalSeconds)
                throw new DeliveryFailedException(
                    $"delivery {deliveryId} is being sent by another process right now (started "
                        + $"{sendingForSeconds:F0} s ago)", new TimeoutException());
            if (status == "sending")
            {
                if (lastTransport == "pickup" && transport.PickupFileExists(messageId))
                {
                    await MarkAsync(conn, tx, deliveryId, "sent", null, ct);
                    await tx.CommitAsync(ct);
                    return DeliveryOutcome.AlreadySent;
                }
                if (lastTransport == "smtp")
                {
                    await MarkAsync(conn, tx, deliveryId, "uncertain",
                        "the previous attempt ended between hand-over and log; not sent again automatically (re-send "
                            + "from the console if needed)", ct);
                    await tx.CommitAsync(ct);
                    logger.LogWarning(
                        "Delivery {Id}: previous SMTP attempt was interrupted; marked uncertain, not sent twice",
                            deliveryId);
                    return DeliveryOutcome.Uncertain;
                }
            }
            await using (
                var mark = new NpgsqlCommand(
                    "update deliveries set status = 'sending', tries = tries + 1, transport = $2, sending_at = now() "
                        + "where id = $1", conn, tx))
            {
                mark.Parameters.Add(new() { Value = deliveryId });
                mark.Parameters.Add(new() { Value = transport.Name });
                await mark.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }

        mime.Position = 0;
        // Parsed with content left in the file (persistent): the attachment is not copied into memory again.
        var message = await MimeMessage.LoadAsync(mime, persistent: true, ct);
        try
        {
            await transport.SendAsync(message, ct);
        }
        catch (Exception e)
        {
            await using var back = db.CreateCommand(
                "update deliveries set status = 'pending', last_error = $2 where id = $1");
            back.Parameters.Add(new() { Value = deliveryId });
            back.Parameters.Add(new() { Value = e.Message });
            await back.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
        await using (var conn = await db.OpenConnectionAsync(CancellationToken.None))
            await MarkAsync(conn, null, deliveryId, "sent", null, CancellationToken.None);
        logger.LogInformation("Delivery {Id} sent via {Transport} ({MessageId})", deliveryId, transport.Name,
            messageId);
        return DeliveryOutcome.Sent;
    }

    static async Task MarkAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, string status, string? error,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            update deliveries set status = $2, last_error = coalesce($3, last_error),
              sent_at = case when $2 = 'sent' then now() else sent_at end
            where id = $1
            """, conn, tx);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = status });
        cmd.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    async Task<Guid> StoreDownloadAsync(MailFile file, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using var cmd = db.CreateCommand(
            "insert into delivery_downloads (id, file_name, content, sha256) values ($1, $2, $3, $4)");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = file.FileName });
        cmd.Parameters.Add(new() { Value = file.Content });
        cmd.Parameters.Add(new() { Value = SHA256.HashData(file.Content) });
        await cmd.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>A copy of a download under a new id, valid from now; null when the download is gone.</summary>
    async Task<Guid?> RenewDownloadAsync(Guid id, CancellationToken ct)
    {
        var renewed = Guid.NewGuid();
        await using var cmd = db.CreateCommand("""
            insert into delivery_downloads (id, file_name, content, sha256)
            select $2, file_name, content, sha256 from delivery_downloads where id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = renewed });
        return await cmd.ExecuteNonQueryAsync(ct) == 1 ? renewed : null;
    }

    /// <summary>A download offered in a mail; Content null: older than Delivery:DownloadLinkDays.</summary>
    public async Task<(string FileName, byte[]? Content)?> GetDownloadAsync(Guid id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            select file_name, case when created_at > now() - make_interval(days => $2) then content end
            from delivery_downloads where id = $1
            """);
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = options.Value.DownloadLinkDays });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.IsDBNull(1) ? null : (byte[])r[1]) : null;
    }

    /// <summary>A Message-ID derived from the dedupe key: the same mail always carries the same id.</summary>
    public static string MessageIdFor(string dedupeKey, string domain) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey)))[..32]
        + "@" + (string.IsNullOrEmpty(domain) ? "reporting.invalid" : domain);

    public sealed record Delivery(long Id, string Kind, string DedupeKey, string? SubscriptionId, long? SnapshotId,
        long? ReturnVersionId, string? Period,
        string RecipientName, string RecipientAddress, string Subject, string MessageId, string? AttachmentName,
            byte[]? AttachmentSha256,
        long? AttachmentBytes, Guid? DownloadId, string Status, int Tries, string? Transport, string? LastError,
            long? ResendOf,
        DateTime CreatedAt, DateTime? SentAt, byte[] Mime);

    const string Columns = """
        id, kind, dedupe_key, subscription_id, snapshot_id, return_version_id, period, recipient_name,
        recipient_address, subject, message_id, attachment_name, attachment_sha256, attachment_bytes, download_id,
        status, tries, transport, last_error, resend_of,
        created_at, sent_at
        """;

    public async Task<Delivery?> GetAsync(long id, CancellationToken ct = default) =>
        (await QueryAsync($"select {Columns}, mime from deliveries where id = $1", ct, id)).SingleOrDefault();

    /// <summary>Deliveries still waiting to be sent (a failed try leaves them pending).</summary>
    public async Task<List<long>> PendingAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("select id from deliveries where status = 'pending' order by id");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await r.ReadAsync(ct)) ids.Add(r.GetInt64(0));
        return ids;
    }

    /// <summary>The newest deliveries for the console (without the message bytes).</summary>
    public Task<List<Delivery>> RecentAsync(int limit, CancellationToken ct = default) =>
        QueryAsync($"select {Columns}, ''::bytea from deliveries order by id desc limit $1", ct, limit);

    async Task<List<Delivery>> QueryAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new() { Value = a });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Delivery>();
        T? N<T>(int i) => r.IsDBNull(i) ? default : r.GetFieldValue<T>(i);
        while (await r.ReadAsync(ct))
            list.Add(new Delivery(r.GetInt64(0), r.GetString(1), r.GetString(2), N<string>(3), r.IsDBNull(4)
                ? null : r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetInt64(5), N<string>(6), r.GetString(7), r.GetString(8), r.GetString(9),
                    r.GetString(10), N<string>(11),
                N<byte[]>(12), r.IsDBNull(13) ? null : r.GetInt64(13), r.IsDBNull(14) ? null : r.GetGuid(14),
                    r.GetString(15), r.GetInt32(16),
                N<string>(17), N<string>(18), r.IsDBNull(19) ? null : r.GetInt64(19), r.GetDateTime(20), r.IsDBNull(21)
                    ? null : r.GetDateTime(21),
                (byte[])r[22]));
        return list;
    }
}
