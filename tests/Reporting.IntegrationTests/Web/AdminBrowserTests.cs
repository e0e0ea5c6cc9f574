using OpenQA.Selenium;
using Reporting.Delivery;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

public sealed class AdminBrowserTests
{
    [BrowserFact]
    public async Task An_admin_signs_in_through_the_form_opens_the_job_console_and_re_sends_a_mail()
    {
        await using var db = await TestDatabase.CreateAsync();
        var pickup = Directory.CreateTempSubdirectory("browser-mail-").FullName;
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true, ("Smtp:Host", ""),
            ("Smtp:PickupDirectory", pickup));
        var deliveries = web.Services.GetRequiredService<DeliveryService>();
        var original = await deliveries.QueueAsync(new DeliveryContext("reminder", "browser:1"),
            deliveries.Composer.Reminder("KDN Lindenau", "2025", new DateOnly(2026, 4, 7),
                new MailRecipient("Frau Meier", "meier@kdl.example.org")));
        await Eventually.WaitForAsync(async () => (await deliveries.GetAsync(original))!.Status, s => s == "sent",
            "the reminder to be sent by the worker");
        using var browser = Browser.Start();

        // Anonymous: the console is not shown; the sign-in page is.
        browser.GoTo($"{web.BaseUrl}/hangfire");
        browser.WaitFor(By.Id("signin"));
        Assert.Contains("/admin/anmelden", browser.Driver.Url);
        Assert.DoesNotContain("Jobkonsole Kennzahlen", browser.Driver.PageSource);

        browser.Driver.FindElement(By.Id("userName")).SendKeys(WebTestHost.AdminUser);
        browser.Driver.FindElement(By.Id("password")).SendKeys(WebTestHost.AdminPassword);
        browser.Driver.FindElement(By.Id("submit")).Click();

        // Back where the admin wanted to go: the Hangfire dashboard.
        browser.WaitFor(By.CssSelector(".navbar"));
        Assert.EndsWith("/hangfire", browser.Driver.Url);
        Assert.Contains("Jobkonsole Kennzahlen", browser.Driver.PageSource);

        // The delivery log shows the reminder; "Erneut senden" makes a new delivery that the worker sends.
        browser.GoTo($"{web.BaseUrl}/admin/zustellungen");
        var row = browser.WaitFor(By.Id($"delivery-{original}"));
        Assert.Contains("meier@kdl.example.org", row.Text);
        Assert.Contains("gesendet", row.Text);
        row.FindElement(By.CssSelector("button[type=submit]")).Click();
        // Re-sending asks first: nothing is sent until the admin confirms.
        browser.WaitFor(By.Id("confirm-resend"));
        Assert.Contains("meier@kdl.example.org", browser.Driver.PageSource);
        Assert.Equal(0L, await db.ScalarAsync<long>($"select count(*) from deliveries where resend_of = {original}"));
        browser.Driver.FindElement(By.Id("confirm-resend")).Click();

        var resent = await Eventually.WaitForAsync(() => db.ScalarAsync<long>(
            $"select coalesce(max(id), 0) from deliveries where resend_of = {original} and status = 'sent'"),
            id => id > 0, "the re-sent mail");
        Assert.Equal(2, Directory.GetFiles(pickup, "*.eml").Length);
        browser.WaitFor(By.Id($"delivery-{resent}"));
        Directory.Delete(pickup, recursive: true);
    }
}
