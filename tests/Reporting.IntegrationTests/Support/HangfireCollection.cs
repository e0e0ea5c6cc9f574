namespace Reporting.IntegrationTests.Support;

/// <summary>
/// Tests that resolve Hangfire (client, storage, job server). Hangfire.AspNetCore's AddHangfire configures the
/// process-global GlobalConfiguration/JobStorage.Current and hands that to the container, so two hosts on two test
/// databases must not be built at the same time: these tests run one after another, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireCollection
{
    public const string Name = "Hangfire";
}
