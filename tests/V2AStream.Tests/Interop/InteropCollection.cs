namespace V2AStream.Tests.Interop;

/// <summary>One daemon and clip for every sample-client test.</summary>
[CollectionDefinition(Name)]
public sealed class InteropCollection : ICollectionFixture<InteropFixture>
{
    public const string Name = "Interop";
}
