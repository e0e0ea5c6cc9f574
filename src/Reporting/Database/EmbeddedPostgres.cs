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
            if (!await IsRunningAsync(bin, ct))
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
            var r = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"),
                ["-D", DataDir, "-m", "fast", "-w", "stop"], ServerUser, ct);
            if (r.ExitCode != 0) throw new InvalidOperationException($"pg_ctl stop failed: {r.Output}");
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

    async Task StartAsync(string bin, int port, CancellationToken ct)
    {
        // The socket goes into the private cluster folder (-k) so nothing needs /var/run/postgresql.
        var serverArgs = $"-c listen_addresses=127.0.0.1 -p {port} -k {ClusterRoot} -c unix_socket_permissions=0700 " +
            "-c password_encryption=scram-sha-256 " +
            "-c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var r = await ProcessRunner.RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", serverArgs, "start"], ServerUser, ct);
        if (r.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new InvalidOperationException($"pg_ctl start failed: {r.Output}\n{log}");
        }
        logger.LogInformation("Started the embedded PostgreSQL cluster on 127.0.0.1:{Port}", port);
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
