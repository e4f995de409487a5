using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>Builds the generator a manifest's "generator" part describes.</summary>
public static class AudioGeneratorFactory
{
    /// <param name="spec">The generator part.</param>
    /// <param name="directory">The model-set folder (null for the built-in set).</param>
    /// <param name="runtime">ONNX Runtime, needed by audioldm; may be null for builtin-procedural.</param>
    /// <param name="options">Session options for the audioldm models (threads, provider).</param>
    public static IAudioGenerator Create(GeneratorSpec spec, string? directory, OrtRuntime? runtime, InferenceSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Kind)
        {
            case GeneratorSpec.BuiltinProceduralKind:
                return new ProceduralGenerator();
            case GeneratorSpec.AudioLdmKind:
                if (runtime is null)
                {
                    throw new ModelSetException(ModelSetErrorReason.RuntimeUnavailable, "The audioldm generator needs ONNX Runtime; run './v2a doctor' to see why it is not available.");
                }

                return AudioLdmGenerator.Load(runtime, spec, directory ?? ".", options);
            default:
                throw new ModelSetException(ModelSetErrorReason.UnknownKind, $"Generator kind '{spec.Kind}' is unknown; use builtin-procedural or audioldm.");
        }
    }
}
