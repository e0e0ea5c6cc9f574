using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Reporting.IntegrationTests.Support;

/// <summary>
/// Headless Chromium driven by Debian's chromedriver, with a fresh profile per browser. Reusable by any browser
/// test (admin console, provider portal).
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";
    public const string DriverName = "chromedriver";

    readonly string profile;
    Browser(ChromeDriver driver, string profile) { Driver = driver; this.profile = profile; }

    public ChromeDriver Driver { get; }

    /// <summary>Why browser tests cannot run here, or null.</summary>
    public static string? MissingReason =>
        !File.Exists(ChromiumPath) ? $"needs chromium at {ChromiumPath} (apt-get install chromium)"
        : !File.Exists(Path.Combine(DriverDirectory, DriverName))
            ? $"needs {DriverDirectory}/{DriverName} (apt-get install chromium-driver)"
        : null;

    public static Browser Start()
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverName);
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={profile}",
                "--lang=de-DE");
        // --lang alone leaves headless Chromium's Accept-Language English: a German browser sends de-DE.
        options.AddUserProfilePreference("intl.accept_languages", "de-DE,de");
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
        return new Browser(driver, profile);
    }

    public void GoTo(string url) => Driver.Navigate().GoToUrl(url);

    public IWebElement WaitFor(By by, int seconds = 30) =>
        new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)).Until(d
            => d.FindElements(by).FirstOrDefault(e => e.Displayed));

    /// <summary>Folder of the screenshots the browser tests save, beside the test assembly.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Shows the page <paramref name="width"/> px wide (a phone: 390, a laptop: 1280).</summary>
    public void Resize(int width) => Driver.Manage().Window.Size = new System.Drawing.Size(width, 900);

    /// <summary>
    /// The page as people meet it, at 1280 and 390 px: a screenshot of each (screenshots/NAME-WIDTH.png), no
    /// sideways scrolling of the page itself (wide tables scroll inside their box), and axe's check with no serious
    /// or critical finding. The window is left at 1280 px.
    /// </summary>
    public void LookAtBothWidths(string name)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            var shot = SaveScreenshot(name, width);
            Assert.True(new FileInfo(shot).Length > 0);
            var js = (IJavaScriptExecutor)Driver;
            var viewport = Convert.ToInt32(js.ExecuteScript("return document.documentElement.clientWidth;"));
            var page = Convert.ToInt32(js.ExecuteScript("return document.documentElement.scrollWidth;"));
            Assert.True(page <= viewport, $"{name} at {width} px is {page} px wide in a {viewport} px viewport "
                + $"({Driver.Url})");
            Accessibility.AssertNoSeriousViolations(this, $"{name} at {width} px");
        }
        Resize(1280);
    }

    /// <summary>
    /// Saves the whole page at <paramref name="width"/> px as screenshots/NAME-WIDTH.png (the window is made as
    /// tall as the page, up to 6000 px) and returns the path.
    /// </summary>
    public string SaveScreenshot(string name, int width)
    {
        Resize(width);
        // The page's own height plus what the window adds around the viewport.
        var height = Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript(
            "return Math.ceil(document.body.getBoundingClientRect().height)"
            + " + window.outerHeight - window.innerHeight;"));
        Driver.Manage().Window.Size = new System.Drawing.Size(width, Math.Clamp(height, 600, 6000));
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, $"{name}-{width}.png");
        Driver.GetScreenshot().SaveAsFile(path);
        Resize(width);
        return path;
    }

    public void Dispose()
    {
        try { Driver.Quit(); } catch (WebDriverException) { }
        Driver.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A browser test: skipped, with the reason, where chromium or chromedriver is absent.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Browser.MissingReason is { } reason) Skip = reason;
    }
}
