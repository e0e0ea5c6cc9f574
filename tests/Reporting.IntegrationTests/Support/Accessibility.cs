using System.Text.Json;
using Deque.AxeCore.Commons;
using OpenQA.Selenium;

namespace Reporting.IntegrationTests.Support;

/// <summary>
/// axe-core (the script bundled in Deque.AxeCore.Commons) run in the page a <see cref="Browser"/> shows: WCAG 2.1 A
/// and AA rules and best practices. Any browser test may call <see cref="AssertNoSeriousViolations"/>.
/// </summary>
public static class Accessibility
{
    /// <summary>One rule axe found broken, with the CSS selectors of the elements that break it.</summary>
    public sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Targets)
    {
        public override string ToString() => $"{Impact} {Id}: {Help} ({string.Join(", ", Targets.Take(5))})";
    }

    static readonly Lazy<string> Script = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>Runs axe on the current page and returns every violation.</summary>
    public static IReadOnlyList<Violation> Check(Browser browser)
    {
        var driver = browser.Driver;
        driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(90);
        var js = (IJavaScriptExecutor)driver;
        if (js.ExecuteScript("return typeof window.axe === 'undefined';") is true) js.ExecuteScript(Script.Value);
        var json = js.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {
              runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
              resultTypes: ['violations']
            }).then(r => done(JSON.stringify(r.violations.map(v => ({
                id: v.id, impact: v.impact || '', help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')) })))),
              e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }])));
            """) as string ?? throw new InvalidOperationException("axe.run returned nothing");
        return JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? [];
    }

    /// <summary>Fails, listing them, when axe finds a serious or critical violation on the current page.</summary>
    public static void AssertNoSeriousViolations(Browser browser, string page)
    {
        var serious = Check(browser).Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical violations on {page} "
            + $"({browser.Driver.Url}):\n" + string.Join("\n", serious));
    }
}
