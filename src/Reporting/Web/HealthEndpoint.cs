using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Scheduling;
using Reporting.Access;

namespace Reporting.Web;

/// <summary>
/// GET /health: 200 when the database answers (status "degraded" while no job worker has sent a heartbeat
/// recently, or while a job file is left out: file and reason in <c>jobFiles</c>), 503 when the database is
/// unreachable. Anonymous callers get only the status word; host names, process ids, error texts and job-file
/// problems are for admins.
/// </summary>
public static class HealthEndpoint
{
    public sealed record Worker(string Name, int Workers, string[] Queues, DateTime? Heartbeat, bool Alive);
    public sealed record Health(string Status, bool Database, string? DatabaseError, int LiveWorkers,
        IReadOnlyList<Worker> Servers, IReadOnlyList<JobFileProblem>? JobFiles = null);
    public sealed record HealthStatus(string Status);

    public static void MapHealth(this WebApplication app) =>
        app.MapGet("/health", async (HttpContext http, NpgsqlDataSource db, JobStorage storage,
            IOptions<SchedulingOptions> scheduling, JobFileSync jobFiles, JobFileLoader jobFileLoader,
            CancellationToken ct) =>
        {
            try
            {
                await using (var cmd = db.CreateCommand("select 1")) await cmd.ExecuteScalarAsync(ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The SQLSTATE names the failure for an admin; PostgreSQL's own text stays out of any answer.
                var reason = e is PostgresException pg ? $"PostgreSQL-Fehler {pg.SqlState}" : "nicht erreichbar";
                return await AnswerAsync(http, new Health("unhealthy", false, reason, 0, []),
                    StatusCodes.Status503ServiceUnavailable);
            }
            var limit = DateTime.UtcNow - TimeSpan.FromSeconds(Math.Max(scheduling.Value.HeartbeatSeconds * 3, 30));
            var servers = storage.GetMonitoringApi().Servers()
                .Select(s => new Worker(s.Name, s.WorkersCount, s.Queues.ToArray(), s.Heartbeat, s.Heartbeat >= limit))
                .ToList();
            var live = servers.Where(s => s.Alive).Sum(s => s.Workers);
            // What the job server of this process left out at its start; a web-only process reads the files now.
            var problems = jobFiles.LastProblems ?? (await jobFileLoader.ScanAsync(ct)).Problems;
            var status = live > 0 && problems.Count == 0 ? "healthy" : "degraded";
            return await AnswerAsync(http, new Health(status, true, null, live, servers, problems),
                StatusCodes.Status200OK);
        })
        .WithName("Health")
        .WithSummary("Database reachable and job workers alive")
        .Produces<Health>()
        .Produces<Health>(StatusCodes.Status503ServiceUnavailable)
        .AllowAnonymous();

    /// <summary>The endpoint is anonymous, so the admin cookie is read here to decide how much to tell.</summary>
    static async Task<IResult> AnswerAsync(HttpContext http, Health health, int statusCode)
    {
        bool admin;
        // A session check that needs the database must not turn a 503 into a 500: then the caller counts as anonymous.
        try { admin = (await http.AuthenticateAsync(Auth.AdminCookieScheme)).Principal?.IsAdmin() == true; }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            admin = false;
        }
        return admin
            ? Results.Json(health, statusCode: statusCode)
            : Results.Json(new HealthStatus(health.Status), statusCode: statusCode);
    }
}
