using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

/// <summary>The accessibility check itself must be able to fail: a page with known faults.</summary>
public sealed class AccessibilityCheckTests
{
    [BrowserFact]
    public void The_check_reports_an_unlabelled_input_and_an_image_without_text_as_serious()
    {
        using var browser = Browser.Start();
        browser.GoTo("data:text/html;charset=utf-8,<!DOCTYPE html><html lang=de><title>x</title><main>"
            + "<img src=a.png><form><input id=q></form></main></html>");

        var found = Accessibility.Check(browser);

        Assert.Contains(found, v => v.Id == "image-alt" && v.Impact == "critical");
        Assert.Contains(found, v => v.Id == "label" && v.Impact == "critical");
        var failure = Assert.ThrowsAny<Exception>(() => Accessibility.AssertNoSeriousViolations(browser, "a bad page"));
        Assert.Contains("image-alt", failure.Message);
    }
}
