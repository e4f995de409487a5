using V2AStream.Testing;

namespace V2AStream.Onnx.Tests;

/// <summary>The tests that share this assembly's one ONNX Runtime session factory.</summary>
[CollectionDefinition(Name)]
public sealed class OrtCollection : ICollectionFixture<OrtSessionsFixture>
{
    public const string Name = "onnxruntime";
}
