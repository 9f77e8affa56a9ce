using M365.Core.Authentication.Persistence;

namespace M365.Core.Tests.Authentication.Persistence;

public sealed class CacheNameTests
{
    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b\\c:d")]
    [InlineData("C:\\Windows\\System32")]
    [InlineData("adele@contoso.com@contoso.onmicrosoft.com")]
    [InlineData("名前 with spaces\0and nul")]
    public void CacheNamesStayInsideTheCacheDirectory(string connectionName)
    {
        string stem = PersistenceOptions.CacheNameFor(connectionName);
        string directory = Path.Combine(Path.GetTempPath(), "cache");

        Assert.DoesNotContain('/', stem);
        Assert.DoesNotContain('\\', stem);
        Assert.DoesNotContain(':', stem);
        Assert.False(stem.StartsWith('.'));
        Assert.Matches("^[a-z0-9@._-]+-[0-9a-f]{16}$", stem);
        Assert.Equal(directory, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(directory, stem + ".cache"))));
    }

    [Fact]
    public void NamesDifferingOnlyInUnsafeCharactersGetDifferentFilesAndCaseDoesNotMatter()
    {
        Assert.NotEqual(PersistenceOptions.CacheNameFor("a/b"), PersistenceOptions.CacheNameFor("a_b"));
        Assert.Equal(PersistenceOptions.CacheNameFor("Work"), PersistenceOptions.CacheNameFor("work"));
        Assert.StartsWith("adele@contoso.com-", PersistenceOptions.CacheNameFor("Adele@Contoso.com"));
        Assert.Throws<ArgumentException>(() => PersistenceOptions.CacheNameFor(" "));
    }
}
