using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx.Graphs;

namespace V2AStream.Testing.Onnx;

/// <summary>
/// A tiny stand-in for export_clap.py's clap_audio.onnx with its exact contract (waveform f32 [batch, 480000] ->
/// audio_embeds f32 [batch, 512]) and closed-form arithmetic a test can recompute from the window it fed:
/// audio_embeds[b] = (energy, roughness, <see cref="Bias"/>, 0, ..., 0), where energy = mean(x²) and roughness =
/// mean |x[i+1] - x[i]| (for a sine of amplitude A and frequency f at 48 kHz: A²/2 and about 4·A·f / 48000, so the
/// ratio roughness/energy tells tones apart, and the bias keeps silence from giving a zero vector).
/// </summary>
public static class ClapContractModels
{
    public const string AudioFile = "clap_audio.onnx";
    public const int SampleRate = 48000;
    public const int Samples = 480000;
    public const int Dim = 512;
    public const float Bias = 0.01f;

    /// <summary>The model-set.json member for the tower in <see cref="AudioFile"/>, comma-led (for <see cref="Models.TestKinds.WriteSet"/>).</summary>
    public const string ManifestPart = """
        , "audio_embedder": { "kind": "onnx-audio", "file": "clap_audio.onnx", "input": "waveform", "output": "audio_embeds",
          "sample_rate": 48000, "samples": 480000, "dim": 512 }
        """;

    /// <param name="samples">The window length the graph declares (other values make a contract mismatch).</param>
    /// <param name="inputName">The waveform input's name.</param>
    public static byte[] AudioTower(long samples = Samples, string inputName = "waveform")
    {
        float[] OneHot(int index, float value)
        {
            var pattern = new float[Dim];
            pattern[index] = value;
            return pattern;
        }

        return new OnnxGraphBuilder("clap_audio_contract")
            .Input(inputName, TensorElementType.Float, "batch", samples)
            .Initializer("energy_axis", OneHot(0, 1f), 1, Dim)
            .Initializer("roughness_axis", OneHot(1, 1f), 1, Dim)
            .Initializer("bias", OneHot(2, Bias), 1, Dim)
            .Initializer("from_second", [1L], 1)
            .Initializer("to_last", [samples], 1)
            .Initializer("from_first", [0L], 1)
            .Initializer("to_before_last", [samples - 1], 1)
            .Initializer("time_axis", [1L], 1)
            .Node("Mul", [inputName, inputName], ["squared"])
            .Node("ReduceMean", ["squared"], ["energy"], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))
            .Node("Slice", [inputName, "from_second", "to_last", "time_axis"], ["later"])
            .Node("Slice", [inputName, "from_first", "to_before_last", "time_axis"], ["earlier"])
            .Node("Sub", ["later", "earlier"], ["step"])
            .Node("Abs", ["step"], ["step_size"])
            .Node("ReduceMean", ["step_size"], ["roughness"], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))
            .Node("Mul", ["energy", "energy_axis"], ["energy_part"])
            .Node("Mul", ["roughness", "roughness_axis"], ["roughness_part"])
            .Node("Add", ["energy_part", "roughness_part"], ["features"])
            .Node("Add", ["features", "bias"], ["audio_embeds"])
            .Output("audio_embeds", TensorElementType.Float, "batch", (long)Dim)
            .ToBytes();
    }

    /// <summary>Writes the tower as <see cref="AudioFile"/> into <paramref name="directory"/>.</summary>
    public static string WriteAudioTower(string directory, byte[]? model = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, AudioFile);
        File.WriteAllBytes(path, model ?? AudioTower());
        return path;
    }
}
