using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Reporting.Ingestion;
using Reporting.Pipeline;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.Tests.Pipeline;

public sealed class ReturnPipelineTests
{
    [Fact]
    public void A_received_upload_is_queued_for_ingestion_and_a_decided_one_is_not()
    {
        var jobs = new RecordingJobs();
        var pipeline = new ReturnPipeline(jobs);

        pipeline.Received(new IntakeReceipt(7, 1, false, ReturnStates.Received, "KDZA"), "KDZA-2025.xlsx");
        pipeline.Received(new IntakeReceipt(8, 2, true, ReturnStates.Accepted, "KDZA"), "KDZA-2025.xlsx");

        Assert.Equal([$"{nameof(IngestJob)}.{nameof(IngestJob.RunAsync)}(7)"], jobs.Queued);
    }

    [Theory]
    [InlineData(ReturnStates.Accepted, "KDZA", "KpiSnapshotJob.RunAsync(2025)|DeliveryJobs.Verdict(7)")]
    [InlineData(ReturnStates.Accepted, null, "KpiSnapshotJob.RunAsync(2025)")]
    [InlineData(ReturnStates.Rejected, "KDZA", "DeliveryJobs.Verdict(7)")]
    [InlineData(ReturnStates.Rejected, null, "")]
    [InlineData(ReturnStates.Received, "KDZA", "")]
    public void After_ingest_the_pipeline_queues_the_snapshot_of_an_accepted_return_and_the_providers_verdict(
        string status, string? provider, string expected)
    {
        var jobs = new RecordingJobs();

        new ReturnPipeline(jobs).Ingested(new IngestedReturn(7, status, provider, "2025"));

        Assert.Equal(expected, string.Join("|", jobs.Queued));
    }

    [Fact]
    public void After_a_snapshot_the_pipeline_queues_the_new_data_subscriptions()
    {
        var jobs = new RecordingJobs();

        new ReturnPipeline(jobs).SnapshotStored(42);

        Assert.Equal([$"{nameof(ScheduledJobs)}.{nameof(ScheduledJobs.NewData)}(42)"], jobs.Queued);
    }

    sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<string> Queued { get; } = [];

        public string Create(Job job, IState state)
        {
            Queued.Add($"{job.Type.Name}.{job.Method.Name}({job.Args[0]})");
            return Queued.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
