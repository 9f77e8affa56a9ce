using M365.Core.Http;

namespace M365.Core.Tests.Http;

public sealed class MsalHttpClientFactoryTests
{
    [Fact]
    public void ASandboxOrInjectedTransportServesTheServiceFabricSourceWithItsOwnClient()
    {
        using var shared = new HttpClient();
        using var factory = new MsalHttpClientFactory(shared);

        Assert.Same(shared, factory.GetHttpClient());
        Assert.Same(shared, factory.GetHttpClient((_, _, _, _) => false));
    }

    [Fact]
    public void ProductionGivesTheServiceFabricSourceOneClientOfItsOwnForEveryCallback()
    {
        using var shared = new HttpClient();
        using var factory = new MsalHttpClientFactory(shared, applyServerCertificateCallbacks: true);

        HttpClient first = factory.GetHttpClient((_, _, _, _) => false);
        HttpClient second = factory.GetHttpClient((_, _, _, _) => true);

        Assert.Same(shared, factory.GetHttpClient());
        Assert.NotSame(shared, first);
        Assert.Same(first, second);
    }
}
