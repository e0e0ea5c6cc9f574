using System.Security.Cryptography;
using System.Text;

namespace Reporting.Access;

/// <summary>
/// Section "Admin": the console's sign-in. Give either PasswordHash (preferred; see <see cref="AdminPassword"/>)
/// or Password (from the environment, Admin__Password, never in appsettings.json). Neither: nobody can sign in.
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public string UserName { get; set; } = "admin";
    public string Password { get; set; } = "";
    /// <summary>"pbkdf2-sha256$ITERATIONS$SALT_BASE64$HASH_BASE64"</summary>
    public string PasswordHash { get; set; } = "";

    public bool IsConfigured => UserName.Length > 0 && (Password.Length > 0 || PasswordHash.Length > 0);
}

/// <summary>PBKDF2 password hashes for the Admin section, compared in constant time.</summary>
public static class AdminPassword
{
    const int Iterations = 210_000;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(AdminOptions o, string userName, string password)
    {
        if (!o.IsConfigured) return false;
        var userOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(userName),
            Encoding.UTF8.GetBytes(o.UserName));
        bool passwordOk;
        if (o.PasswordHash.Length > 0)
        {
            var parts = o.PasswordHash.Split('$');
            if (parts.Length != 4 || parts[0] != "pbkdf2-sha256"
                || !int.TryParse(parts[1], out var iterations)) return false;
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(parts[2]), iterations,
                HashAlgorithmName.SHA256, expected.Length);
            passwordOk = CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        else
            passwordOk = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)),
                SHA256.HashData(Encoding.UTF8.GetBytes(o.Password)));
        return userOk && passwordOk;
    }
}
