using System.Security.Cryptography;
using System.Text;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Reporting.Access;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Access;

public sealed class ProviderKeysTests
{
    [Fact]
    public async Task A_new_key_is_random_url_safe_and_stored_only_as_its_hash()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = new ProviderKeys(db.DataSource);

        var key = await keys.AddAsync("KDZA", "KDZ Auenland", "it@kdz.example");
        var other = await keys.AddAsync("ITVB", "ITV Brückenfeld", null);

        Assert.NotEqual(key, other);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", key);   // 32 bytes, base64url without padding
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))),
            await db.ScalarAsync<string>(
                "select upper(encode(api_key_hash, 'hex')) from providers where code = 'KDZA'"));
        Assert.Equal(0, await db.ScalarAsync<int>(
            $"select count(*) from providers where position('{key}' in row(providers.*)::text) > 0"));
        Assert.Equal("KDZA", await keys.AuthenticateAsync(key));
        Assert.Equal("ITVB", await keys.AuthenticateAsync(other));
        Assert.Null(await keys.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A')));
    }

    [Fact]
    public async Task A_new_key_revokes_the_old_one_and_revoke_disables_the_provider_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = new ProviderKeys(db.DataSource);
        var first = await keys.AddAsync("KDZA", "KDZ Auenland", null);

        var second = await keys.IssueKeyAsync("KDZA");

        Assert.Null(await keys.AuthenticateAsync(first));
        Assert.Equal("KDZA", await keys.AuthenticateAsync(second));
        Assert.True(
            await db.ScalarAsync<bool>("select api_key_revoked_at is not null from providers where code = 'KDZA'"));

        await keys.RevokeAsync("KDZA");
        Assert.Null(await keys.AuthenticateAsync(second));
        Assert.False(Assert.Single(await keys.ListAsync()).HasKey);
    }

    [Fact]
    public async Task Adding_a_provider_twice_says_so()
    {
        await using var db = await TestDatabase.CreateAsync();
        var keys = new ProviderKeys(db.DataSource);
        await keys.AddAsync("KDZA", "KDZ Auenland", null);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => keys.AddAsync("KDZA", "again", null));
        Assert.Contains("exists already", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => keys.AddAsync("kd za", "bad code", null));
    }
}
