using V2AStream.Onnx;

namespace V2AStream.Testing;

/// <summary>
/// One loaded ONNX Runtime shared by a test assembly's collection, as the daemon has one. Each test assembly
/// declares its own collection over it (xunit looks for collection definitions in the test assembly).
/// </summary>
public sealed class OrtRuntimeFixture : IDisposable
{
    public OrtRuntimeFixture() => Runtime = OrtRuntime.Load();

    public OrtRuntime Runtime { get; }

    public void Dispose() => Runtime.Dispose();
}
