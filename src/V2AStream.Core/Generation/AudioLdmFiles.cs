using V2AStream.Core.Mapping;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;

namespace V2AStream.Core.Generation;

/// <summary>The files of an audioldm generator part, resolved against the set's folder and checked to exist.</summary>
internal sealed record AudioLdmFiles(string Unet, string VaeDecoder, string Vocoder, string Unconditional, double ScalingFactor)
{
    /// <summary>The tensor name in the unconditional embedding's safetensors file.</summary>
    public const string UnconditionalTensor = "embedding";

    public static AudioLdmFiles Resolve(GeneratorSpec spec, string directory)
    {
        if (spec.ScalingFactor is not { } scaling || !(scaling > 0))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, "The audioldm generator needs a positive \"scaling_factor\" (audioldm-s-full: 0.9227914214134216).");
        }

        if (spec.Steps is < 1 or > DdimScheduler.TrainSteps)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The audioldm generator's \"steps\" must be between 1 and {DdimScheduler.TrainSteps}, not {spec.Steps}.");
        }

        if (spec.SampleRate != BlockTiming.SampleRate)
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The audioldm generator's \"sample_rate\" is {spec.SampleRate}; AudioLDM makes {BlockTiming.SampleRate} Hz audio (resample the output instead).");
        }

        return new AudioLdmFiles(
            Existing(directory, spec.Unet, "unet"),
            Existing(directory, spec.VaeDecoder, "vae_decoder"),
            Existing(directory, spec.Vocoder, "vocoder"),
            Existing(directory, spec.Unconditional, "unconditional"),
            scaling);
    }

    /// <summary>Reads the 512-float unconditional embedding (safetensors, tensor "embedding", shape [512] or [1,512]).</summary>
    public static float[] ReadUnconditional(string path)
    {
        var file = SafetensorsFile.Read(path);
        var shape = file.ShapeOf(UnconditionalTensor);
        long[] expected = shape is { Count: 2 } ? [1, UnetSession.ConditionDimension] : [UnetSession.ConditionDimension];
        return file.ReadFloats(UnconditionalTensor, expected);
    }

    private static string Existing(string directory, string? file, string field)
    {
        if (string.IsNullOrEmpty(file))
        {
            throw new ModelSetException(ModelSetErrorReason.InvalidManifest, $"The audioldm generator needs \"{field}\" in the manifest.");
        }

        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            throw new ModelSetException(ModelSetErrorReason.MissingFile, $"{path} is missing ({field} of the audioldm generator); run the export in models/export or fix the manifest.", path);
        }

        return path;
    }
}
