using M365.Core.Services;
using M365.Core.Services.SharePoint;

namespace M365.Core.Tests.Services;

/// <summary>
/// Text that goes into CSOM XML or JSON site bodies (issue 16, security 9): a character XML 1.0 cannot carry is refused as
/// SiteParameterInvalid, naming the field, before any request.
/// </summary>
public sealed class SiteTextValidationTests
{
    // Code points, not strings: the test runner would turn a lone surrogate in a string into U+FFFD on its way to the test.
    public static TheoryData<string, string, int> Forbidden => new()
    {
        { "Owners", "admin@contoso.com", 0 },
        { "Owners", "ad", 1 },
        { "Title", "News", 0 },
        { "Title", "News", '\r' },
        { "Title", "News", '\n' },
        { "Title", "News", 0xFFFF },
        { "Title", "News", 0xFFFE },
        { "Title", "News", 0xD800 },
        { "Title", "News", 0xDC00 },
        { "Url", "https://contoso.sharepoint.com/sites/n", 7 },
        { "Description", "about", 0 },
        { "Description", "about", 0x1B },
        { "WebTemplate", "STS#0", 0 },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void ACharacterXmlCannotCarryIsRefusedNamingTheField(string field, string text, int codePoint)
    {
        string value = text + (char)codePoint + "x";
        SiteCreationRequest request = Classic();
        switch (field)
        {
            case "Owners": request.Owners = [value]; break;
            case "Title": request.Title = value; break;
            case "Url": request.Url = value; break;
            case "Description": request.Description = value; break;
            case "WebTemplate": request.WebTemplate = value; break;
        }

        var error = Assert.Throws<M365Exception>(request.ThrowIfInvalid);

        Assert.Equal(ServiceErrorIds.SiteParameterInvalid, error.ErrorId);
        Assert.Contains(request.Validate(), e => e.Rule == "TextCharacters" && e.Parameter == field);
        Assert.Contains("-" + field + " has the character U+", error.Message, StringComparison.Ordinal);
        Assert.Contains($"U+{codePoint:X4} at position {text.Length + 1}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(((char)codePoint).ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADescriptionMayHaveLineBreaksAndTabsAndAnyTextMayHaveEmoji()
    {
        SiteCreationRequest request = Classic();
        request.Description = "Line one\r\nLine two\twith a tab";
        request.Title = "News 📰 Ünïcode";

        Assert.Empty(request.Validate());
    }

    [Fact]
    public void TeamAndCommunicationSitesAreCheckedToo()
    {
        var team = new SiteCreationRequest(SpoSiteType.TeamSite) { Title = "T", Alias = "team", Classification = "Gen\0eral", Owners = ["a@contoso.com\0"] };
        var communication = new SiteCreationRequest(SpoSiteType.CommunicationSite) { Title = "C\u0000", Url = "https://contoso.sharepoint.com/sites/c" };

        Assert.Equal(new[] { "Classification", "Owners" }, team.Validate().Where(e => e.Rule == "TextCharacters").Select(e => e.Parameter));
        Assert.Equal(new[] { "Title" }, communication.Validate().Where(e => e.Rule == "TextCharacters").Select(e => e.Parameter));
    }

    // A hostile CSOM answer whose first element is not an object made TryGetProperty throw InvalidOperationException.
    [Theory]
    [InlineData("[5]")]
    [InlineData("[null,{\"IsComplete\":true}]")]
    [InlineData("[\"x\"]")]
    public void ACsomAnswerWhoseItemsAreNotObjectsHasNoErrorAndNoOperation(string json)
    {
        using var answer = System.Text.Json.JsonDocument.Parse(json);

        Assert.Null(CsomSiteCreation.ErrorOf(answer.RootElement));
        Assert.Equal(json.Contains("IsComplete", StringComparison.Ordinal), CsomSiteCreation.OperationOf(answer.RootElement) is not null);
    }

    private static SiteCreationRequest Classic() => new(SpoSiteType.ClassicSite)
    {
        Title = "News",
        Url = "https://contoso.sharepoint.com/sites/news",
        Owners = ["admin@contoso.com"],
        TimeZone = 4,
    };
}
