using M365.Core.Authentication.Browser;

namespace M365.Core.Tests.Authentication.Browser;

/// <summary>$BROWSER as xdg-open and Python read it: a list, shell words, %s or the URL appended.</summary>
public sealed class BrowserCommandTests
{
    private const string Url = "https://127.0.0.1:5443/t/oauth2/v2.0/authorize?client_id=a&state=b c";

    [Fact]
    public void SplitsTheListAndTheWordsAsAShellWould()
    {
        char s = Path.PathSeparator;
        var commands = BrowserCommand.ParseList($"node tests/node/browser-signin.mjs{s}{s}'/opt/My Browser/run' --new-window{s}sh -c \"echo \\\"$1\\\"\" x");

        Assert.Equal(3, commands.Count);
        Assert.Equal(new[] { "node", "tests/node/browser-signin.mjs" }, commands[0]);
        Assert.Equal(new[] { "/opt/My Browser/run", "--new-window" }, commands[1]);
        Assert.Equal(new[] { "sh", "-c", "echo \"$1\"", "x" }, commands[2]);
    }

    [Fact]
    public void TheSeparatorInsideQuotesDoesNotSplit()
    {
        char s = Path.PathSeparator;
        var commands = BrowserCommand.ParseList($"\"a{s}b\" --x");

        Assert.Single(commands);
        Assert.Equal($"a{s}b", commands[0][0]);
    }

    [Fact]
    public void PercentSIsTheUrlElseTheUrlIsAppended()
    {
        Assert.Equal(new[] { "tests/node/browser-signin.mjs", Url }, BrowserCommand.Arguments(new[] { "node", "tests/node/browser-signin.mjs" }, Url));
        Assert.Equal(new[] { "--url=" + Url, "--x" }, BrowserCommand.Arguments(new[] { "chromium", "--url=%s", "--x" }, Url));
        Assert.Equal(new[] { "100%", Url }, BrowserCommand.Arguments(new[] { "zoom", "100%%" }, Url));
        Assert.Equal(new[] { "%d", Url }, BrowserCommand.Arguments(new[] { "x", "%d" }, Url));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
    public void ArgumentsAreQuotedSoDotNetSplitsThemBack(string argument, string quoted)
    {
        Assert.Equal(quoted, BrowserLauncher.QuoteArgument(argument));
    }
}
