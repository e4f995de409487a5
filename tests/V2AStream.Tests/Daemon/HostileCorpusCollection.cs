namespace V2AStream.Tests.Daemon;

/// <summary>The test classes that share one <see cref="HostileCorpus"/> (its clips take a while to make).</summary>
[CollectionDefinition(Name)]
public sealed class HostileCorpusCollection : ICollectionFixture<HostileCorpus>
{
    public const string Name = "hostile corpus";
}
