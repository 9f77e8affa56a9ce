namespace M365.Sandbox.Tests.Resources;

/// <summary>The resource endpoint tests share one sandbox; they run one after another because they move its clock.</summary>
[CollectionDefinition(Name)]
public sealed class ResourceSandboxCollection : ICollectionFixture<ResourceSandboxFixture>
{
    public const string Name = "Resource sandbox";
}
