using V2AStream.Testing.MediaServers;

namespace V2AStream.Tests.Relay;

/// <summary>The relay test classes share one clip, daemon and reference sound.</summary>
[CollectionDefinition(Name)]
public sealed class RelayCollection : ICollectionFixture<RelayFixture>
{
    public const string Name = "relay";
}
