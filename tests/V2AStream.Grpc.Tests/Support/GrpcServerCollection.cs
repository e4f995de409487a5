namespace V2AStream.Grpc.Tests.Support;

/// <summary>One test server for every class that talks to it.</summary>
[CollectionDefinition(Name)]
public sealed class GrpcServerCollection : ICollectionFixture<GrpcTestServer>
{
    public const string Name = "gRPC test server";
}
