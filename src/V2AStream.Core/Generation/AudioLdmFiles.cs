using V2AStream.Core.Mapping;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Generation;

/// <summary>The files of an audioldm generator part, found in the catalog's search order, and its checked fields.</summary>
internal sealed record AudioLdmFiles(string Unet, string VaeDecoder, string Vocoder, string Unconditional, double ScalingFactor)
{
    /// <summary>The tensor name in the unconditional embedding's safetensors file.</summary>
    public const string UnconditionalTensor = "embedding";

    /// <summary>Checks the fields that need no file (<see cref="CheckFields"/>) and finds the four files.</summary>
    public static AudioLdmFiles Resolve(GeneratorSpec spec, ModelPartContext context, IModelPartKind kind)
    {
        var scaling = CheckFields(spec);
        return new AudioLdmFiles(
            context.ResolveFile(kind, spec.Unet, "unet"),
            context.ResolveFile(kind, spec.VaeDecoder, "vae_decoder"),
            context.ResolveFile(kind, spec.Vocoder, "vocoder"),
            context.ResolveFile(kind, spec.Unconditional, "unconditional"),
            scaling);
    }

    /// <summary>Checks scaling_factor, steps and sample_rate; returns the scaling factor. Throws <see cref="ModelSetException"/> (InvalidManifest).</summary>
    public static double CheckFields(GeneratorSpec spec)
    {
        if (spec.ScalingFactor is not { } scaling || !(scaling > 0))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, "The audioldm generator needs a positive \"scaling_factor\" (audioldm-s-full: 0.9227914214134216).");
        }

        if (spec.Steps is < 1 or > DdimScheduler.MaxSteps)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The audioldm generator's \"steps\" must be between 1 and {DdimScheduler.MaxSteps}, not {spec.Steps}.");
        }

        if (spec.SampleRate != BlockTiming.SampleRate)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The audioldm generator's \"sample_rate\" is {spec.SampleRate}; AudioLDM makes {BlockTiming.SampleRate} Hz audio (resample the output instead).");
        }

        return scaling;
    }

    /// <summary>Reads the 512-float unconditional embedding (safetensors, tensor "embedding", shape [512] or [1,512]).</summary>
    public static float[] ReadUnconditional(string path)
    {
        var file = SafetensorsFile.Read(path);
        var shape = file.ShapeOf(UnconditionalTensor);
        long[] expected = shape is { Count: 2 } ? [1, UnetSession.ConditionDimension] : [UnetSession.ConditionDimension];
        return file.ReadFloats(UnconditionalTensor, expected);
    }
}
