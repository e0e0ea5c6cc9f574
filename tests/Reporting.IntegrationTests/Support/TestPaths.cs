namespace Reporting.IntegrationTests.Support;

public static class TestPaths
{
    /// <summary>The repo root (holds Reporting.sln).</summary>
    public static string RepoRoot { get; } = AppPaths.FindContentRoot();

    /// <summary>The shared reference folder beside the repo, which a user's fresh clone may not have.</summary>
    public static string SharedReference { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared",
        "reference"));

    public static string DemoReference { get; } = Path.Combine(RepoRoot, "data", "reference");

    /// <summary>Reporting.dll next to the tests, for tests that start the app as a separate process.</summary>
    public static string AppDll { get; } = Path.Combine(AppContext.BaseDirectory, "Reporting.dll");
}

/// <summary>A fact that needs ../shared/reference; skipped with the reason where the folder is absent.</summary>
public sealed class SharedReferenceFactAttribute : FactAttribute
{
    public SharedReferenceFactAttribute()
    {
        if (!File.Exists(Path.Combine(TestPaths.SharedReference, "nrw_gemeinden.csv")))
            Skip = $"needs the real NRW reference files in {TestPaths.SharedReference} (beside the repo); absent in "
                + $"this checkout";
    }
}
