using Npgsql;

namespace Reporting.Ingestion;

/// <summary>One version of a return as stored: who sent it and when, what was decided, with all messages.</summary>
public sealed record ReturnVersionInfo(
    long Id, string Status, string? ProviderCode, string? Period, int? Version, string FileName, long SizeBytes,
        string Sha256,
    string SubmittedBy, DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, long? SupersededBy,
    int ErrorCount, int WarningCount, IReadOnlyList<ReturnMessage> Messages);

/// <summary>Reads return versions for the API, the command line and the admin pages.</summary>
public sealed class ReturnVersions(NpgsqlDataSource db)
{
    const string Select = """
        select rv.id, rv.status, coalesce(rv.provider_code, u.provider_code), rv.period, rv.version, u.file_name,
          u.size_bytes,
               encode(u.sha256, 'hex'), rv.submitted_by, rv.submitted_at, rv.decided_at, rv.superseded_by,
               rv.error_count, rv.warning_count, rv.messages::text
        from return_versions rv join uploads u on u.id = rv.upload_id
        """;

    public async Task<ReturnVersionInfo?> GetAsync(long id, CancellationToken ct = default) =>
        (await QueryAsync(Select + " where rv.id = $1", ct, id)).FirstOrDefault();

    /// <summary>Every version of a provider's return for a period, newest first.</summary>
    public Task<List<ReturnVersionInfo>> HistoryAsync(string providerCode, string period,
        CancellationToken ct = default) =>
        QueryAsync(Select + " where rv.provider_code = $1 and rv.period = $2 order by rv.id desc", ct, providerCode,
            period);

    async Task<List<ReturnVersionInfo>> QueryAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new() { Value = a });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ReturnVersionInfo>();
        while (await r.ReadAsync(ct))
            list.Add(new(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3)
                ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetInt32(4), r.GetString(5), r.GetInt64(6), r.GetString(7), r.GetString(8),
                r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
                r.IsDBNull(11) ? null : r.GetInt64(11), r.GetInt32(12), r.GetInt32(13),
                    ReturnIngester.ReadMessages(r.GetString(14))));
        return list;
    }
}
