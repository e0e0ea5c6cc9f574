using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Reporting.Database;

/// <summary>
/// The embedded default: a private PostgreSQL cluster in a project-local folder, created with initdb on first use,
/// started with pg_ctl on 127.0.0.1 and a free port, and reused by every later process until <c>db stop</c>.
/// A file lock serialises provisioning across processes (web host, workers, tests starting at once), and initdb
/// writes into a temporary folder that is renamed only when complete, so a crash never leaves a half cluster.
/// Locked to the app's OS user: every connection (TCP and socket) needs the generated password in
/// <see cref="ClusterSecret"/>, and the cluster folder holding the socket is private (0700).
/// Durable: PostgreSQL's fsync, synchronous_commit and full_page_writes stay on unless
/// <see cref="DatabaseOptions.ExtraServerSettings"/> says otherwise (only the tests do).
/// </summary>
public sealed class EmbeddedPostgres(string clusterRoot, DatabaseOptions options, ILogger logger)
{
    public string ClusterRoot { get; } = ResolveUsableRoot(clusterRoot, options.OsUser);
    string DataDir => Path.Combine(ClusterRoot, "data");
    string PortFile => Path.Combine(ClusterRoot, "port");
    string LogFile => Path.Combine(ClusterRoot, "server.log");
    static bool RunsAsRoot => Environment.IsPrivilegedProcess;
    string? ServerUser => RunsAsRoot ? options.OsUser : null;
    ClusterSecret Secret => new(ClusterRoot);
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Provisions and starts the cluster if needed, creates the database, returns its connection string.
    /// </summary>
    public async Task<string> EnsureStartedAsync(string databaseName, CancellationToken ct = default)
    {
        using (await FileLock.AcquireAsync(ClusterRoot + ".lock", TimeSpan.FromMinutes(3), ct))
        {
            var bin = PostgresBinaries.Find(options.BinDirectory);
            if (!File.Exists(Path.Combine(DataDir, "PG_VERSION"))) await InitAsync(bin, ct);
            var legacy = ClusterHba.TrustsAnyone(DataDir);
            if (!legacy && !Secret.Exists)
                throw new InvalidOperationException(
                    $"The embedded cluster in {ClusterRoot} needs its password, but {Secret.FilePath} is missing. " +
                    "Restore that file, or stop the cluster ('db stop') and delete its folder to start afresh.");
            var password = Secret.ReadOrCreate();
            ClusterSecret.Restrict(ClusterRoot, Private);
            var port = ReadPort();
            if (await IsRunningAsync(bin, ct))
            {
                if (await DifferingDurabilityAsync(port, password, ct) is { } differing)
                {
                    logger.LogWarning("The embedded PostgreSQL cluster in {Dir} runs with {Settings}, which this "
                        + "process does not want; restarting it with {Wanted}", ClusterRoot, differing.Actual,
                        differing.Wanted);
                    await StopServerAsync(bin, ct);
                    NpgsqlConnection.ClearAllPools();
                    await StartAsync(bin, port, ct);
                }
            }
            else
            {
                if (!IsPortFree(port))
                {
                    port = FreePort();
                    await File.WriteAllTextAsync(PortFile, port.ToString(), ct);
                }
                await StartAsync(bin, port, ct);
            }
            if (legacy) await LockLegacyClusterAsync(port, password, ct);
            await CreateDatabaseIfMissingAsync(port, password, databaseName, ct);
            return ConnectionString(port, password, databaseName);
        }
    }

    public async Task<bool> StopAsync(CancellationToken ct = default)
    {
        using (await FileLock.AcquireAsync(ClusterRoot + ".lock", TimeSpan.FromMinutes(1), ct))
        {
            if (!File.Exists(Path.Combine(DataDir, "PG_VERSION"))) return false;
            var bin = PostgresBinaries.Find(options.BinDirectory);
            if (!await IsRunningAsync(bin, ct)) return false;
            await StopServerAsync(bin, ct);
            logger.LogInformation("Stopped the embedded PostgreSQL cluster in {Dir}", ClusterRoot);
            return true;
        }
    }

    public async Task<string> StatusAsync(CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(DataDir,
            "PG_VERSION"))) return $"embedded cluster: not created yet (would live in {ClusterRoot})";
        var bin = PostgresBinaries.Find(options.BinDirectory);
        var running = await IsRunningAsync(bin, ct);
        return $"embedded cluster: {(running ? "running" : "stopped")} in {ClusterRoot}, 127.0.0.1:{ReadPort()}";
    }

    async Task InitAsync(string bin, CancellationToken ct)
    {
        Directory.CreateDirectory(ClusterRoot);
        ClusterSecret.Restrict(ClusterRoot, Private);
        foreach (var stale in Directory.GetDirectories(ClusterRoot, "data.tmp-*")) Directory.Delete(stale,
            recursive: true);
        var tmp = Path.Combine(ClusterRoot, $"data.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        // initdb reads the superuser's password from a file; it must be readable by the server's OS user only.
        var pwFile = Path.Combine(ClusterRoot, "initdb-password");
        ClusterSecret.WriteOwnerOnly(pwFile, Secret.ReadOrCreate());
        await GiveToServerUserAsync(ct);
        logger.LogInformation("Creating the embedded PostgreSQL cluster in {Dir}", ClusterRoot);
        ProcessRunner.Result r;
        try
        {
            r = await ProcessRunner.RunAsync(Path.Combine(bin, "initdb"),
                ["-D", tmp, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                 $"--auth-local={ClusterHba.Method}", $"--auth-host={ClusterHba.Method}", $"--pwfile={pwFile}"],
                ServerUser, ct);
        }
        finally { File.Delete(pwFile); }
        if (r.ExitCode != 0) throw new InvalidOperationException($"initdb failed: {r.Output}");
        await File.WriteAllTextAsync(PortFile, FreePort().ToString(), ct);
        if (Directory.Exists(DataDir)) Directory.Delete(DataDir, recursive: true);
        Directory.Move(tmp, DataDir);
        await GiveToServerUserAsync(ct);
    }

    /// <summary>
    /// PostgreSQL's own durability defaults, given on the command line: there they win over postgresql.conf and
    /// postgresql.auto.conf (ALTER SYSTEM), so only <see cref="DatabaseOptions.ExtraServerSettings"/> can turn
    /// them off. pg_ctl start is always given the whole set, so a cluster started earlier with other values comes
    /// back durable when this process starts it.
    /// </summary>
    static readonly IReadOnlyDictionary<string, string> Durability = new Dictionary<string, string>
    {
        ["fsync"] = "on",
        ["synchronous_commit"] = "on",
        ["full_page_writes"] = "on",
    };

    /// <summary>The durability defaults with the configured extra settings over them, checked for -o.</summary>
    IReadOnlyDictionary<string, string> WantedSettings()
    {
        var wanted = new Dictionary<string, string>(Durability, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in options.ExtraServerSettings)
        {
            // pg_ctl hands -o to a shell: only plain names and values pass.
            if (!IsPlainSetting(name, value))
                throw new InvalidOperationException(
                    $"Database:ExtraServerSettings: '{name}' = '{value}' is not a plain PostgreSQL setting.");
            wanted[name] = value;
        }
        return wanted;
    }

    static bool IsPlainSetting(string name, string value) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || c is '_' or '.')
        && value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>
    /// A running cluster whose durability settings are not the wanted ones (started by an earlier version or
    /// with other extra settings): the settings as they are and as wanted; null when they agree.
    /// </summary>
    async Task<(string Actual, string Wanted)?> DifferingDurabilityAsync(int port, string password,
        CancellationToken ct)
    {
        var wanted = WantedSettings().Where(s => Durability.ContainsKey(s.Key)).OrderBy(s => s.Key).ToList();
        var cs = new NpgsqlConnectionStringBuilder(ConnectionString(port, password, "postgres")) { Pooling = false };
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        await conn.OpenAsync(ct);
        var actual = new List<KeyValuePair<string, string>>();
        foreach (var (name, _) in wanted)
        {
            await using var cmd = new NpgsqlCommand("select current_setting($1)", conn)
                { Parameters = { new() { Value = name } } };
            actual.Add(new(name, (string)(await cmd.ExecuteScalarAsync(ct))!));
        }
        if (wanted.Zip(actual).All(p => SameValue(p.First.Value, p.Second.Value))) return null;
        static string Show(IEnumerable<KeyValuePair<string, string>> s) =>
            string.Join(", ", s.Select(p => $"{p.Key} {p.Value}"));
        return (Show(actual), Show(wanted));
    }

    /// <summary>PostgreSQL accepts on/true/yes/1 for a boolean and shows it as on (off likewise).</summary>
    static bool SameValue(string a, string b)
    {
        static string Norm(string v) => v.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => "on",
            "false" or "no" or "0" => "off",
            var other => other,
        };
        return Norm(a) == Norm(b);
    }

    async Task StartAsync(string bin, int port, CancellationToken ct)
    {
        // The socket goes into the private cluster folder (-k) so nothing needs /var/run/postgresql.
        var serverArgs = $"-c listen_addresses=127.0.0.1 -p {port} -k {ClusterRoot} -c unix_socket_permissions=0700 " +
            "-c password_encryption=scram-sha-256 -c max_connections=200" +
            string.Concat(WantedSettings().Select(s => $" -c {s.Key}={s.Value}"));
        var r = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", serverArgs, "start"], ServerUser, ct);
        if (r.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new InvalidOperationException($"pg_ctl start failed: {r.Output}\n{log}");
        }
        logger.LogInformation("Started the embedded PostgreSQL cluster on 127.0.0.1:{Port}", port);
    }

    async Task StopServerAsync(string bin, CancellationToken ct)
    {
        var r = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", DataDir, "-m", "fast", "-w", "stop"], ServerUser, ct);
        if (r.ExitCode != 0) throw new InvalidOperationException($"pg_ctl stop failed: {r.Output}");
    }

    async Task<bool> IsRunningAsync(string bin, CancellationToken ct) =>
        (await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDir, "status"], ServerUser,
            ct)).ExitCode == 0;

    /// <summary>
    /// A cluster created before the lockdown (initdb --auth=trust) gets the password and password-only rules;
    /// the server reloads them without a restart. Repeatable: a crash halfway just runs it again next start.
    /// </summary>
    async Task LockLegacyClusterAsync(int port, string password, CancellationToken ct)
    {
        await using (var conn = new NpgsqlConnection(ConnectionString(port, password, "postgres")))
        {
            await conn.OpenAsync(ct);
            await using var alter = new NpgsqlCommand(
                $"set password_encryption = 'scram-sha-256'; alter role postgres password '{password}'", conn);
            await alter.ExecuteNonQueryAsync(ct);
            ClusterHba.Lock(DataDir);
            await using var reload = new NpgsqlCommand("select pg_reload_conf()", conn);
            await reload.ExecuteNonQueryAsync(ct);
        }
        NpgsqlConnection.ClearAllPools();
        logger.LogWarning("Locked the embedded PostgreSQL cluster in {Dir}: it trusted every local user; "
            + "it now needs the password in {SecretFile}", ClusterRoot, Secret.FilePath);
    }

    async Task CreateDatabaseIfMissingAsync(int port, string password, string name, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionString(port, password, "postgres"));
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1",
            conn) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        await using var create = new NpgsqlCommand($"create database \"{name.Replace("\"", "")}\"", conn);
        await create.ExecuteNonQueryAsync(ct);
    }

    static string ConnectionString(int port, string password, string db) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Password = password, Database = db,
                MaxPoolSize = 50,
        }.ConnectionString;

    int ReadPort() => int.Parse(File.ReadAllText(PortFile).Trim());

    async Task GiveToServerUserAsync(CancellationToken ct)
    {
        if (ServerUser is null) return;
        var r = await ProcessRunner.RunAsync("chown", ["-R", $"{ServerUser}:", ClusterRoot], null, ct);
        if (r.ExitCode != 0) throw new InvalidOperationException(
            $"chown of {ClusterRoot} to {ServerUser} failed: {r.Output}");
    }

    /// <summary>
    /// When we run as root, the server user must be able to reach the folder. A clone under /root is not
    /// reachable for it; then the cluster lives under /var/tmp, keyed by the wanted path so clones do not share.
    /// </summary>
    static string ResolveUsableRoot(string wanted, string osUser)
    {
        wanted = Path.GetFullPath(wanted);
        if (!RunsAsRoot || TraversableByOthers(Path.GetDirectoryName(wanted)!)) return wanted;
        var hash = Convert.ToHexString(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(wanted)))[..12];
        return Path.Combine("/var/tmp", $"reporting-pg-{osUser}-{hash.ToLowerInvariant()}");
    }

    static bool TraversableByOthers(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if (!d.Exists) continue;
            if ((d.UnixFileMode & UnixFileMode.OtherExecute) == 0) return false;
        }
        return true;
    }

    static bool IsPortFree(int port)
    {
        try { using var l = new TcpListener(IPAddress.Loopback, port); l.Start(); return true; }
        catch (SocketException) { return false; }
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
