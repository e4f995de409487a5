using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>Builds the generator a manifest's "generator" part describes.</summary>
public static class AudioGeneratorFactory
{
    /// <param name="spec">The generator part.</param>
    /// <param name="directory">The model-set folder (null for the built-in set).</param>
    /// <param name="sessions">Opens the audioldm models on the set's device; may be null for builtin-procedural.</param>
    /// <param name="settings">Session tuning for the audioldm models (threads).</param>
    public static IAudioGenerator Create(GeneratorSpec spec, string? directory, OrtSessionFactory? sessions, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Kind)
        {
            case GeneratorSpec.BuiltinProceduralKind:
                return new ProceduralGenerator();
            case GeneratorSpec.AudioLdmKind:
                if (sessions is null)
                {
                    throw new ModelSetException(ModelSetErrorReason.RuntimeUnavailable, "The audioldm generator needs ONNX Runtime; run './v2a doctor' to see why it is not available.");
                }

                return AudioLdmGenerator.Load(sessions, spec, directory ?? ".", settings);
            default:
                throw new ModelSetException(ModelSetErrorReason.UnknownKind, $"Generator kind '{spec.Kind}' is unknown; use builtin-procedural or audioldm.");
        }
    }
}
