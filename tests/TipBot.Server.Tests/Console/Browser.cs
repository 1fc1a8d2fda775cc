using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace TipBot.Server.Tests.Console;

/// <summary>
/// Debian's headless Chromium driven through its chromedriver (scripts/test.sh installs both).
/// Every wait is a condition with a deadline (WebDriverWait), never a fixed sleep.
/// </summary>
public sealed class Browser : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Uri _base;

    public Browser(Uri baseAddress)
    {
        _base = baseAddress;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        // --no-sandbox: the test machines run as root in containers, where Chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000", "--lang=vi");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, Deadline);
    }

    public ChromeDriver Driver { get; }

    public void Go(string path) => Driver.Navigate().GoToUrl(new Uri(_base, path));

    public string Path => new Uri(Driver.Url).AbsolutePath;

    public IWebElement Find(string css) => Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), $"element {css}");

    public T Until<T>(Func<IWebDriver, T?> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Deadline) { Message = $"waiting for {what}" };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait.Until(d =>
        {
            try
            {
                return condition(d);
            }
            // Chrome's words for a stale element when the page changes under the read (a form's redirect).
            catch (UnknownErrorException e) when (e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
            {
                return default;
            }
        })!;
    }

    public void Type(string css, string text)
    {
        var input = Find(css);
        input.Clear();
        input.SendKeys(text);
    }

    public void Click(string css) => Find(css).Click();

    public void Choose(string selectCss, string value) => Click($"{selectCss} option[value='{value}']");

    public void SignIn(string user, string password)
    {
        Go("/console/signin");
        Type("#user-name", user);
        Type("#password", password);
        Click("#sign-in");
        Until(d => d.FindElements(By.Id("sign-out")).Count > 0, "signed in");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
