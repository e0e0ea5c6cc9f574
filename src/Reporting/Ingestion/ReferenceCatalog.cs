namespace Reporting.Ingestion;

/// <summary>The reference keys a return is checked against (municipalities, OZG ids, services, providers, periods).</summary>
public sealed class ReferenceCatalog
{
    public static Task<ReferenceCatalog> LoadAsync(Npgsql.NpgsqlDataSource db, CancellationToken ct = default) =>
        throw new NotImplementedException("the return reader is not built yet");
}
