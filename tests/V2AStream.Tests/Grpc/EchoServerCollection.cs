namespace V2AStream.Tests.Grpc;

/// <summary>One Echo server for every class that talks to it.</summary>
[CollectionDefinition(Name)]
public sealed class EchoServerCollection : ICollectionFixture<EchoServer>
{
    public const string Name = "Echo server";
}
