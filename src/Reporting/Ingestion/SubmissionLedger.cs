using Npgsql;

namespace Reporting.Ingestion;

/// <summary>One provider in one period. State: missing | received | rejected | accepted.</summary>
public sealed record LedgerRow(
    string ProviderCode, string ProviderName, string Period, DateOnly Deadline,
    int Received, int Rejected, int Accepted, int Superseded,
    DateTimeOffset? LastSubmittedAt, DateTimeOffset? FirstAcceptedAt, long? CurrentVersionId, string State, bool Late)
{
    public bool Expected => true;   // every active provider reports every period
}

/// <summary>Who has delivered what for which period (view submission_ledger); the admin page is built on it.</summary>
public sealed class SubmissionLedger(NpgsqlDataSource db)
{
    public async Task<IReadOnlyList<LedgerRow>> ListAsync(string? period = null, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            select provider_code, provider_name, period, deadline, received, rejected, accepted, superseded,
                   last_submitted_at, first_accepted_at, current_version_id, state, late
            from submission_ledger where $1::text is null or period = $1 order by period desc, provider_code
            """);
        cmd.Parameters.Add(new() { Value = (object?)period ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<LedgerRow>();
        while (await r.ReadAsync(ct))
            rows.Add(new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateOnly>(3),
                r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7),
                r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9)
                    ? null : r.GetFieldValue<DateTimeOffset>(9),
                r.IsDBNull(10) ? null : r.GetInt64(10), r.GetString(11), r.GetBoolean(12)));
        return rows;
    }
}
