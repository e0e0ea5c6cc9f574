using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Reporting.Ingestion;

/// <summary>
/// Loads a return's facts while the workbook is still being read, in the caller's transaction: the reading thread
/// hands the facts over in batches, a second thread copies each batch (binary COPY) into a temporary staging table
/// and moves it into the fact table with one set-based insert (keys and foreign keys checked there, as in
/// <see cref="FactLoader"/>). So PostgreSQL works on the other core while we parse, and memory holds a few batches,
/// never the whole return. A database failure is kept, not thrown into the reader: the reading goes on (the verdict
/// needs all messages) and <see cref="CompleteAsync"/> reports it. The caller rolls the facts back on a rejection.
/// </summary>
public sealed class StreamingFactLoader : IFactConsumer, IAsyncDisposable
{
    /// <summary>
    /// Rows per batch: small enough that a batch's list stays off the large object heap (8 bytes a row).
    /// </summary>
    public const int BatchRows = 10_000;
    /// <summary>
    /// Batches waiting for the database before the reader waits: bounds memory when PostgreSQL is slower.
    /// </summary>
    const int QueuedBatches = 2;

    readonly NpgsqlConnection conn;
    readonly int batchRows;
    /// <summary>
    /// Each fact table's move from its staging table, then the emptied staging table: the same SQL for every batch.
    /// </summary>
    readonly string moveCosts, moveSupply, moveOzg;
    readonly BlockingCollection<object> queue = new(QueuedBatches);
    readonly Task consumer;
    List<CostLine> costs = [];
    List<SupplyLine> supply;
    List<OzgLine> ozg;
    int loadedCosts, loadedSupply, loadedOzg;
    Exception? failure;

    StreamingFactLoader(NpgsqlConnection conn, long versionId, int batchRows, bool keysOnce)
    {
        (this.conn, this.batchRows) = (conn, batchRows);
        string KeysOnce(string move, string stage, FactLoader.Reference[] references) =>
            keysOnce ? FactLoader.KeysCheckedOnce(move, stage, versionId, references) : move;
        // A few hundred cost rows at most: their foreign keys' row checks cost nothing.
        moveCosts = FactLoader.MoveCosts(versionId) + "; truncate stage_cost";
        moveSupply = KeysOnce(FactLoader.MoveSupply(versionId), "stage_supply", FactLoader.SupplyReferences)
            + "; truncate stage_supply";
        moveOzg = KeysOnce(FactLoader.MoveOzg(versionId), "stage_ozg", FactLoader.OzgReferences)
            + "; truncate stage_ozg";
        (supply, ozg) = (new(batchRows), new(batchRows));
        // A thread of its own: it blocks on the queue and on the socket, and must not wait for the thread pool.
        consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Creates the staging tables (dropped at commit or rollback) and starts loading.</summary>
    /// <param name="keysOnce">False: the foreign keys are checked row by row even where the role could do better (the
    /// benchmark's comparison).</param>
    public static async Task<StreamingFactLoader> StartAsync(NpgsqlConnection conn, long versionId, int batchRows,
        CancellationToken ct, bool keysOnce = true)
    {
        await using (var cmd = new NpgsqlCommand(FactLoader.StagingTables, conn)) await cmd.ExecuteNonQueryAsync(ct);
        return new StreamingFactLoader(conn, versionId, batchRows, keysOnce
            && await FactLoader.MayCheckKeysOnceAsync(conn, ct));
    }

    public void Cost(CostLine fact) => costs.Add(fact);   // a few hundred at most: sent at the end

    public void Supply(SupplyLine fact)
    {
        supply.Add(fact);
        if (supply.Count == batchRows) { queue.Add(supply); supply = new(batchRows); }
    }

    public void Ozg(OzgLine fact)
    {
        ozg.Add(fact);
        if (ozg.Count == batchRows) { queue.Add(ozg); ozg = new(batchRows); }
    }

    /// <summary>
    /// Sends what is left, waits until everything is in, and returns the rows stored per fact table and the database's
    /// failure, if any.
    /// </summary>
    public async Task<((int Costs, int Supply, int Ozg) Loaded, Exception? Failure)> CompleteAsync()
    {
        if (!queue.IsAddingCompleted)
        {
            if (costs.Count > 0) queue.Add(costs);
            if (supply.Count > 0) queue.Add(supply);
            if (ozg.Count > 0) queue.Add(ozg);
            (costs, supply, ozg) = ([], [], []);
            queue.CompleteAdding();
        }
        await consumer;
        return ((loadedCosts, loadedSupply, loadedOzg), failure);
    }

    /// <summary>Stops (after a failure of the reader, say) and waits, so the connection is free again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!queue.IsAddingCompleted) queue.CompleteAdding();
        await consumer;
        queue.Dispose();
    }

    void Consume()
    {
        foreach (var batch in queue.GetConsumingEnumerable())
        {
            if (failure is not null) continue;   // drain, so the reader never waits on a dead loader
            try
            {
                switch (batch)
                {
                    case List<CostLine> c:
                        loadedCosts += Load(c, "stage_cost (service_code, cost_type, amount, sheet, cell)", WriteCost,
                            moveCosts);
                        break;
                    case List<SupplyLine> s:
                        loadedSupply += Load(s,
                            "stage_supply (ags, service_code, workstations, users, charges, sheet, row_number)",
                                WriteSupply, moveSupply);
                        break;
                    case List<OzgLine> o:
                        loadedOzg += Load(o, "stage_ozg (ags, ozg_id, maturity, efa, online_since, sheet, row_number)",
                            WriteOzg, moveOzg);
                        break;
                }
            }
            catch (Exception e) { failure = e; }
        }
    }

    /// <summary>
    /// Binary COPY of a batch into its staging table, then the move into the fact table and an empty staging table for
    /// the next batch.
    /// </summary>
    int Load<T>(List<T> batch, string stageColumns, Action<NpgsqlBinaryImporter, T> writeRow, string moveAndTruncate)
    {
        using (var w = conn.BeginBinaryImport($"copy {stageColumns} from stdin (format binary)"))
        {
            foreach (var fact in batch)
            {
                w.StartRow();
                writeRow(w, fact);
            }
            w.Complete();
        }
        using var cmd = new NpgsqlCommand(moveAndTruncate, conn);
        return cmd.ExecuteNonQuery();   // the rows moved: neither the truncate nor a select counts
    }

    static void WriteCost(NpgsqlBinaryImporter w, CostLine c)
    {
        w.Write(c.ServiceCode, NpgsqlDbType.Text);
        w.Write(c.CostType, NpgsqlDbType.Text);
        w.Write(c.Amount, NpgsqlDbType.Numeric);
        w.Write(c.Sheet, NpgsqlDbType.Text);
        w.Write(c.Cell, NpgsqlDbType.Text);
    }

    static void WriteSupply(NpgsqlBinaryImporter w, SupplyLine s)
    {
        w.Write(s.Ags, NpgsqlDbType.Text);
        w.Write(s.ServiceCode, NpgsqlDbType.Text);
        w.Write(s.Workstations, NpgsqlDbType.Integer);
        w.Write(s.Users, NpgsqlDbType.Integer);
        w.Write(s.Charges, NpgsqlDbType.Numeric);
        w.Write(s.Sheet, NpgsqlDbType.Text);
        w.Write(s.Row, NpgsqlDbType.Integer);
    }

    static void WriteOzg(NpgsqlBinaryImporter w, OzgLine o)
    {
        w.Write(o.Ags, NpgsqlDbType.Text);
        w.Write(o.OzgId, NpgsqlDbType.Integer);
        w.Write(o.Maturity, NpgsqlDbType.Smallint);
        w.Write(o.Efa, NpgsqlDbType.Boolean);
        if (o.OnlineSince is { } d) w.Write(d, NpgsqlDbType.Date); else w.WriteNull();
        w.Write(o.Sheet, NpgsqlDbType.Text);
        w.Write(o.Row, NpgsqlDbType.Integer);
    }
}
