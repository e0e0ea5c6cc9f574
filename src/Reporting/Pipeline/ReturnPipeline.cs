using Hangfire;
using Hangfire.Server;
using Reporting.Delivery;
using Reporting.Ingestion;
using Reporting.Kpis;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.Pipeline;

/// <summary>
/// The one owner of the pipeline's order. A return's way, step by step:
/// <list type="number">
/// <item>upload received (Uploads, via <see cref="UploadIntake"/>) -> <see cref="Received"/> queues the ingest;</item>
/// <item>ingest (Ingestion, <see cref="IngestJob"/>) -> <see cref="Ingested"/> queues the KPI snapshot of an
/// accepted return and the provider's verdict mail (Delivery, <see cref="DeliveryJobs"/>);</item>
/// <item>KPI snapshot (Kpis, <see cref="KpiSnapshotJob"/>) -> <see cref="SnapshotStored"/> queues the new-data
/// subscriptions (Scheduling, <see cref="ScheduledJobs"/>: reports rendered by Reports, sent by Delivery).</item>
/// </list>
/// Each job does its own step and returns its outcome; <see cref="NextStep"/> hands the outcome of a job that
/// ended without an exception to this class, which queues the next. The steps are idempotent (a version is
/// decided once, a snapshot reused, mails keyed by version or snapshot and address), so a repeat harms nobody.
/// </summary>
public sealed class ReturnPipeline(IBackgroundJobClient jobs)
{
    /// <summary>Step 1: a stored upload still 'received' goes to ingestion (again, when its job was lost).</summary>
    public void Received(IntakeReceipt receipt, string fileName)
    {
        if (receipt.Status == ReturnStates.Received)
            IngestJob.Enqueue(jobs, receipt.VersionId, IngestJob.Label(receipt.OwnerCode, fileName));
    }

    /// <summary>
    /// Step 2, also after AlreadyDecided: a retry of a run that died after the commit must still start the next
    /// steps. A failed ingest never gets here, so its retry (console) continues the chain.
    /// </summary>
    public void Ingested(IngestedReturn outcome)
    {
        if (outcome.Status == ReturnStates.Accepted && outcome.Period is { } period)
            KpiSnapshotJob.Enqueue(jobs, period);
        if (outcome.Status is ReturnStates.Accepted or ReturnStates.Rejected && outcome.ProviderCode is not null)
            DeliveryJobs.EnqueueVerdict(jobs, outcome.VersionId);
    }

    /// <summary>Step 3, also for a reused snapshot (this may be the retry of a run that stored it and died).</summary>
    public void SnapshotStored(long snapshotId) => ScheduledJobs.EnqueueNewData(jobs, snapshotId);

    /// <summary>
    /// The Hangfire server filter that reports a finished step to the pipeline. It runs inside the job's run,
    /// before the job counts as succeeded: when queueing fails the job fails and its retry queues again. It queues
    /// on the storage the job came from (a test process runs several hosts, each with its own database).
    /// </summary>
    public sealed class NextStep : IServerFilter
    {
        public void OnPerforming(PerformingContext context) { }

        public void OnPerformed(PerformedContext context)
        {
            if (context.Exception is not null || context.Canceled) return;
            var type = context.BackgroundJob.Job.Type;
            var pipeline = new ReturnPipeline(new BackgroundJobClient(context.Storage));
            switch (context.Result)
            {
                case IngestedReturn ingested when type == typeof(IngestJob):
                    pipeline.Ingested(ingested);
                    break;
                case long snapshotId when type == typeof(KpiSnapshotJob):
                    pipeline.SnapshotStored(snapshotId);
                    break;
            }
        }
    }
}
