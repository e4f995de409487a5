using V2AStream.Onnx;

namespace V2AStream.Core.Tests;

/// <summary>One loaded ONNX Runtime for the test assembly, as the daemon has one.</summary>
public sealed class OrtRuntimeFixture : IDisposable
{
    public OrtRuntimeFixture() => Runtime = OrtRuntime.Load();

    public OrtRuntime Runtime { get; }

    public void Dispose() => Runtime.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OrtCollection : ICollectionFixture<OrtRuntimeFixture>
{
    public const string Name = "onnxruntime";
}
