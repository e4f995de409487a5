using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx;
using V2AStream.Onnx.Graphs;

namespace V2AStream.Testing.Onnx;

/// <summary>
/// Tiny stand-ins for the real AudioLDM exports, with their exact input/output names, dtypes and dynamic
/// shapes, and simple closed-form arithmetic a test can recompute:
/// <list type="bullet">
/// <item>unet: sample [N,8,T,16], timestep, class_labels [N,512] -> out_sample = 0.1·sample + mean(class_labels row) + 0.001·timestep.</item>
/// <item>vae_decoder: latent [B,8,T,16] -> mel [B,1,4T,64], mel[b,0,i,j] = mean over channels of latent[b,:,i/4,j/4].</item>
/// <item>vocoder: mel [B,F,64] -> waveform [B,160F], waveform[b,160f+s] = tanh(mean_j mel[b,f,j]).</item>
/// </list>
/// </summary>
public static class AudioLdmContractModels
{
    public const string UnetFile = "unet.onnx";
    public const string VaeDecoderFile = "vae_decoder.onnx";
    public const string VocoderFile = "vocoder.onnx";
    public const string UnconditionalFile = "unconditional.safetensors";
    public const double ScalingFactor = 0.9227914214134216;

    /// <summary>The UNet; <paramref name="timestepType"/> float or int64, <paramref name="timestepVector"/> [N] instead of a scalar.</summary>
    public static byte[] Unet(TensorElementType timestepType = TensorElementType.Float, bool timestepVector = false, string sampleName = "sample", long conditionDim = 512)
    {
        var builder = new OnnxGraphBuilder("audioldm_unet_contract")
            .Input(sampleName, TensorElementType.Float, "batch", 8L, "frames", 16L)
            .Input("class_labels", TensorElementType.Float, "batch", conditionDim)
            .Initializer("k_sample", [0.1f])
            .Initializer("k_time", [0.001f])
            .Initializer("axes_23", [2L, 3L], 2)
            .Node("Mul", [sampleName, "k_sample"], ["scaled"])
            .Node("ReduceMean", ["class_labels"], ["label_mean"], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))
            .Node("Unsqueeze", ["label_mean", "axes_23"], ["label_bias"])
            .Node("Add", ["scaled", "label_bias"], ["with_labels"])
            .Node("Cast", ["timestep"], ["t_float"], OnnxAttribute.Int("to", (long)TensorElementType.Float))
            .Node("Mul", ["t_float", "k_time"], ["t_scaled"]);
        if (timestepVector)
        {
            builder.Input("timestep", timestepType, "batch")
                .Initializer("axes_123", [1L, 2L, 3L], 3)
                .Node("Unsqueeze", ["t_scaled", "axes_123"], ["t_bias"]);
        }
        else
        {
            builder.Input("timestep", timestepType, Array.Empty<long>())
                .Node("Identity", ["t_scaled"], ["t_bias"]);
        }

        return builder
            .Node("Add", ["with_labels", "t_bias"], ["out_sample"])
            .Output("out_sample", TensorElementType.Float, "batch", 8L, "frames", 16L)
            .ToBytes();
    }

    public static byte[] VaeDecoder(long melBins = 64) =>
        new OnnxGraphBuilder("audioldm_vae_decoder_contract")
            .Input("latent", TensorElementType.Float, "batch", 8L, "frames", 16L)
            .Initializer("scales", [1f, 1f, 4f, melBins / 16f], 4)
            .Node("ReduceMean", ["latent"], ["channel_mean"], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))
            .Node(
                "Resize",
                ["channel_mean", string.Empty, "scales"],
                ["mel"],
                OnnxAttribute.String("mode", "nearest"),
                OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
                OnnxAttribute.String("nearest_mode", "floor"))
            .Output("mel", TensorElementType.Float, "batch", 1L, "mel_frames", melBins)
            .ToBytes();

    public static byte[] Vocoder() =>
        new OnnxGraphBuilder("audioldm_vocoder_contract")
            .Input("mel", TensorElementType.Float, "batch", "mel_frames", 64L)
            .Initializer("repeats", [1L, 1L, 160L], 3)
            .Initializer("flat", [0L, -1L], 2)
            .Node("ReduceMean", ["mel"], ["bin_mean"], OnnxAttribute.Ints("axes", 2), OnnxAttribute.Int("keepdims", 1))
            .Node("Tile", ["bin_mean", "repeats"], ["tiled"])
            .Node("Reshape", ["tiled", "flat"], ["flat_wave"])
            .Node("Tanh", ["flat_wave"], ["waveform"])
            .Output("waveform", TensorElementType.Float, "batch", "samples")
            .ToBytes();

    /// <summary>The unconditional embedding used with these models: a fixed 512-float pattern.</summary>
    public static float[] Unconditional()
    {
        var values = new float[512];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ((i * 37) % 23 - 11) / 11f;
        }

        return values;
    }

    /// <summary>
    /// A UNet with the real interface and roughly the real compute of audioldm-s-full's: <paramref name="convolutions"/>
    /// 3x3 convolutions of <paramref name="channels"/> channels over the latent. 32 of 128 channels make about 20 GFLOP per
    /// step at the guidance batch 2 (estimated from the real UNet's 128/256/384/640-channel 3x3 convolutions at 64x16..8x2).
    /// Its output is noise-like rather than a real prediction: for timing only.
    /// </summary>
    public static byte[] ComputeSizedUnet(int convolutions = 32, int channels = 128)
    {
        var random = new Random(1);
        float[] Weights(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * scale)).ToArray();
        var builder = new OnnxGraphBuilder("unet_compute_sized")
            .Input("sample", TensorElementType.Float, "batch", 8L, "frames", 16L)
            .Input("timestep", TensorElementType.Float, Array.Empty<long>())
            .Input("class_labels", TensorElementType.Float, "batch", 512L)
            .Initializer("w_in", Weights(channels * 8 * 9, 0.2), channels, 8, 3, 3)
            .Initializer("w_mid", Weights(channels * channels * 9, 0.05), channels, channels, 3, 3)
            .Initializer("w_out", Weights(8 * channels * 9, 0.05), 8, channels, 3, 3)
            .Initializer("axes_23", [2L, 3L], 2)
            .Node("Conv", ["sample", "w_in"], ["h0"], OnnxAttribute.Ints("pads", 1, 1, 1, 1));
        for (var i = 0; i < convolutions; i++)
        {
            builder.Node("Conv", [$"h{i}", "w_mid"], [$"c{i}"], OnnxAttribute.Ints("pads", 1, 1, 1, 1))
                .Node("Relu", [$"c{i}"], [$"h{i + 1}"]);
        }

        return builder
            .Node("Conv", [$"h{convolutions}", "w_out"], ["conv_out"], OnnxAttribute.Ints("pads", 1, 1, 1, 1))
            .Node("ReduceMean", ["class_labels"], ["label_mean"], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))
            .Node("Unsqueeze", ["label_mean", "axes_23"], ["label_bias"])
            .Node("Add", ["conv_out", "label_bias"], ["with_labels"])
            .Node("Add", ["with_labels", "timestep"], ["out_sample"])
            .Output("out_sample", TensorElementType.Float, "batch", 8L, "frames", 16L)
            .ToBytes();
    }

    /// <summary>
    /// Writes a complete audioldm model set (manifest included) to <paramref name="directory"/>, with the contract CLAP
    /// audio tower as its audio_embedder (<see cref="ClapContractModels"/>).
    /// </summary>
    public static string WriteModelSet(string directory, int steps = 4, byte[]? unet = null, byte[]? vaeDecoder = null, byte[]? vocoder = null, byte[]? audioTower = null)
    {
        Directory.CreateDirectory(directory);
        ClapContractModels.WriteAudioTower(directory, audioTower);
        File.WriteAllBytes(Path.Combine(directory, UnetFile), unet ?? Unet());
        File.WriteAllBytes(Path.Combine(directory, VaeDecoderFile), vaeDecoder ?? VaeDecoder());
        File.WriteAllBytes(Path.Combine(directory, VocoderFile), vocoder ?? Vocoder());
        WriteUnconditional(Path.Combine(directory, UnconditionalFile), Unconditional());
        var scaling = ScalingFactor.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(directory, "model-set.json"), $$"""
            {
              "name": "audioldm-contract",
              "description": "Contract stand-ins for tests",
              "embedder": { "kind": "builtin-pixel", "dim": 512 },
              "mapper": { "kind": "identity" },
              "generator": {
                "kind": "audioldm",
                "unet": "{{UnetFile}}",
                "vae_decoder": "{{VaeDecoderFile}}",
                "vocoder": "{{VocoderFile}}",
                "unconditional": "{{UnconditionalFile}}",
                "scaling_factor": {{scaling}},
                "steps": {{steps}},
                "guidance": 4.5
              }{{ClapContractModels.ManifestPart}}
            }
            """);
        return directory;
    }

    /// <summary>Writes a safetensors file with one F32 tensor "embedding" [512].</summary>
    public static void WriteUnconditional(string path, float[] values)
    {
        var json = System.Text.Encoding.UTF8.GetBytes($$$"""{"embedding":{"dtype":"F32","shape":[{{{values.Length}}}],"data_offsets":[0,{{{4 * values.Length}}}]}}""");
        using var stream = File.Create(path);
        var length = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        var buffer = new byte[4];
        foreach (var value in values)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }
}
