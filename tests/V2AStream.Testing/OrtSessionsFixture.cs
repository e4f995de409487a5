using V2AStream.Onnx;

namespace V2AStream.Testing;

/// <summary>
/// One session factory on the CPU (ONNX Runtime from the Microsoft.ML.OnnxRuntime package) shared by a test assembly's
/// collection, as a loaded model set has one. Each test assembly declares its own collection over it (xunit looks for
/// collection definitions in the test assembly).
/// </summary>
public sealed class OrtSessionsFixture
{
    public OrtSessionFactory Sessions { get; } = OrtSessionFactory.Create(OrtDevice.Cpu);
}
