using M365.Core.Authentication;
using M365.Core.Clouds;
using M365.Core.Resources;
using M365.Core.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace M365.Core.Tests.Authentication;

/// <summary>The store keeps the last token errors (for Test-M365Connection): id, AADSTS code, resource, time and fix; bounded.</summary>
public sealed class TokenErrorLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly ResourceResolver _resolver = new(CloudEnvironment.Public, "contoso");

    [Fact]
    public async Task AFailedTokenRequestIsRecordedWithItsCodeAndFixAndTheLogIsBounded()
    {
        var acquirer = new FakeTokenAcquirer(_time)
        {
            Behaviour = (resource, force, ct, call) => Task.FromException<AccessToken>(new M365AuthenticationException(
                AuthenticationErrorIds.ConsentRequired, "Consent for the requested permissions is missing.", "Ask an administrator to grant consent.", 65001, resource.ResourceId)),
        };
        var store = new ResourceTokenStore(acquirer, _time);
        Assert.Empty(store.RecentErrors);

        for (int i = 0; i < TokenErrorLog.Capacity + 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAsync<M365AuthenticationException>(() => store.GetTokenAsync(_resolver.FromName("SharePoint"), forceRefresh: true));
        }

        IReadOnlyList<TokenError> errors = store.RecentErrors;
        Assert.Equal(TokenErrorLog.Capacity, errors.Count);
        TokenError last = errors[^1];
        Assert.Equal(AuthenticationErrorIds.ConsentRequired, last.ErrorId);
        Assert.Equal(65001, last.AadstsCode);
        Assert.Equal("https://contoso.sharepoint.com", last.ResourceId);
        Assert.Equal(_time.GetUtcNow(), last.When);
        Assert.Equal("Ask an administrator to grant consent.", last.RecommendedAction);
        Assert.StartsWith("ConsentRequired (AADSTS65001) for https://contoso.sharepoint.com", last.ToString(), StringComparison.Ordinal);
        Assert.True(errors[0].When < last.When);
    }

    [Fact]
    public async Task ADisconnectIsNotAnError()
    {
        var store = new ResourceTokenStore(new FakeTokenAcquirer(_time), _time);
        store.Close();
        await Assert.ThrowsAsync<M365AuthenticationException>(() => store.GetTokenAsync(_resolver.Graph));
        Assert.Empty(store.RecentErrors);
    }
}
