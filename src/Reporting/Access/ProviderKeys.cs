using System.Buffers.Text;
using System.Security.Cryptography;
using Npgsql;
using Reporting.Reference;
using Reporting.Uploads;

namespace Reporting.Access;

public sealed record ProviderInfo(string Code, string Name, string? Email, bool Active, bool HasKey,
    DateTimeOffset? KeyCreatedAt, DateTimeOffset? KeyRevokedAt);

/// <summary>
/// Providers and their API keys. A key is 32 random bytes, URL-safe base64, shown once; only its SHA-256 is
/// stored. Issuing a new key replaces (revokes) the old one.
/// </summary>
public sealed class ProviderKeys(NpgsqlDataSource db)
{
    /// <summary>Adds a provider and returns its first key.</summary>
    /// <exception cref="InvalidOperationException">The name or address is not plain text (<see cref="NameText"/>),
    /// the code is taken or not valid.</exception>
    public async Task<string> AddAsync(string code, string name, string? email, CancellationToken ct = default)
    {
        CheckPlain(code, name, email);
        var key = NewKey();
        await using var cmd = db.CreateCommand("""
            insert into providers (code, name, email, api_key_hash, api_key_created_at) values ($1, $2, $3, $4, now())
            """);
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = name });
        cmd.Parameters.Add(new() { Value = (object?)email ?? DBNull.Value });
        cmd.Parameters.Add(new() { Value = Hash(key) });
        try { await cmd.ExecuteNonQueryAsync(ct); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        { throw new InvalidOperationException(
            $"provider {code} exists already; 'providers key {code}' issues a new key"); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        { throw new InvalidOperationException(
            $"'{code}' is not a valid provider code (2-20 of A-Z, 0-9, _ and -, starting with a letter or digit)"); }
        return key;
    }

    /// <summary>Adds the provider when it is missing (no key issued); the demo and tests use it.</summary>
    public async Task EnsureAsync(string code, string name, CancellationToken ct = default)
    {
        CheckPlain(code, name, null);
        await using var cmd = db.CreateCommand(
            "insert into providers (code, name) values ($1, $2) on conflict (code) do nothing");
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = name });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Issues a new key; the old one stops working at once.</summary>
    public async Task<string> IssueKeyAsync(string code, CancellationToken ct = default)
    {
        var key = NewKey();
        await using var cmd = db.CreateCommand("""
            update providers set api_key_hash = $2, api_key_created_at = now(),
                   api_key_revoked_at = case when api_key_hash is null then api_key_revoked_at else now() end
            where code = $1
            """);
        cmd.Parameters.Add(new() { Value = code });
        cmd.Parameters.Add(new() { Value = Hash(key) });
        if (await cmd.ExecuteNonQueryAsync(ct) == 0) throw new InvalidOperationException($"no provider {code}");
        return key;
    }

    /// <summary>Revokes the provider's key without issuing a new one.</summary>
    public async Task RevokeAsync(string code, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(
            "update providers set api_key_hash = null, api_key_revoked_at = now() where code = $1");
        cmd.Parameters.Add(new() { Value = code });
        if (await cmd.ExecuteNonQueryAsync(ct) == 0) throw new InvalidOperationException($"no provider {code}");
    }

    public async Task<IReadOnlyList<ProviderInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            select code, name, email, active, api_key_hash is not null, api_key_created_at, api_key_revoked_at
              from providers order by code
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<ProviderInfo>();
        while (await r.ReadAsync(ct))
            list.Add(new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3),
                r.GetBoolean(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6)
                    ? null : r.GetFieldValue<DateTimeOffset>(6)));
        return list;
    }

    /// <summary>The provider code a presented key belongs to, or null.</summary>
    public async Task<string?> AuthenticateAsync(string presentedKey, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(presentedKey) || presentedKey.Length > 200) return null;
        var hash = Hash(presentedKey.Trim());
        await using var cmd = db.CreateCommand(
            "select code, api_key_hash from providers where api_key_hash = $1 and active");
        cmd.Parameters.Add(new() { Value = hash });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        // The index lookup found the row by hash; compare again in constant time so no timing depends on the key.
        return CryptographicOperations.FixedTimeEquals(hash, r.GetFieldValue<byte[]>(1)) ? r.GetString(0) : null;
    }

    static void CheckPlain(string code, string name, string? email)
    {
        if (NameText.Problem(code) is { } c) throw new InvalidOperationException($"the provider code {c}");
        if (NameText.Problem(name) is { } n) throw new InvalidOperationException(
            $"the name of provider {code} {n}; nothing was stored");
        if (NameText.Problem(email) is { } e) throw new InvalidOperationException(
            $"the contact address of provider {code} {e}; nothing was stored");
    }

    internal static string NewKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    internal static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
}
