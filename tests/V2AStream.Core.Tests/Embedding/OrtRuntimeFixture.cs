using V2AStream.Onnx;

namespace V2AStream.Core.Tests.Embedding;

/// <summary>One loaded ONNX Runtime for the embedding tests, like the daemon's single instance.</summary>
public sealed class OrtRuntimeFixture : IDisposable
{
    public OrtRuntime Runtime { get; } = OrtRuntime.Load();

    public void Dispose() => Runtime.Dispose();
}
