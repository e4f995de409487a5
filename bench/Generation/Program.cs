// Audio generation benchmarks (bench/README.md, "## Audio generation"):
//   1. AudioLDM generator overhead outside ORT (noise, guidance, scheduler, copies, tensor wrapping) per
//      DDIM step, measured as (generator run) - (the same ORT runs made directly), on contract models
//      with the real tensor shapes; and its share of one step of a compute-sized stand-in UNet.
//   2. The procedural generator's real-time factor on one core.
//   3. The stitcher's throughput against a plain copy of the same samples.
// Usage: dotnet run -c Release --project bench/Generation [-- ROUNDS]
using System.Diagnostics;
using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;
using V2AStream.Onnx;
using V2AStream.Testing.Onnx;

var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
var rows = new List<string>();
using var runtime = OrtRuntime.Load();
var options = new InferenceSessionOptions { IntraOpThreads = 1, InterOpThreads = 1 };

// 1. Overhead outside ORT.
var dir = Directory.CreateTempSubdirectory("v2a-bench-").FullName;
try
{
    const int steps = 25;
    AudioLdmContractModels.WriteModelSet(dir, steps);
    var manifest = ModelSetManifestReader.Read(dir);
    using var generator = AudioGeneratorFactory.Create(manifest.Generator, manifest.Directory, runtime, options);
    using var unet = InferenceSession.Create(runtime, Path.Combine(dir, AudioLdmContractModels.UnetFile), options);
    using var vae = InferenceSession.Create(runtime, Path.Combine(dir, AudioLdmContractModels.VaeDecoderFile), options);
    using var vocoder = InferenceSession.Create(runtime, Path.Combine(dir, AudioLdmContractModels.VocoderFile), options);
    var condition = new float[512];
    GaussianNoise.Fill(1, condition);
    var sample = new float[2 * 8 * 64 * 16];
    var labels = new float[2 * 512];
    var latent = new float[8 * 64 * 16];
    var mel = new float[256 * 64];

    double Generator() => Time(() => generator.GenerateAsync(condition, 1, 7, CancellationToken.None).GetAwaiter().GetResult());
    double Direct() => Time(() =>
    {
        for (var s = 0; s < steps; s++)
        {
            using var r = unet.Run([
                OrtInput.Create<float>("sample", sample, 2, 8, 64, 16),
                OrtInput.Create<float>("timestep", new float[] { 961 }),
                OrtInput.Create<float>("class_labels", labels, 2, 512)]);
            _ = r[0].ToArray<float>();
        }

        using (var r = vae.Run([OrtInput.Create<float>("latent", latent, 1, 8, 64, 16)]))
        {
            _ = r[0].ToArray<float>();
        }

        using (var r = vocoder.Run([OrtInput.Create<float>("mel", mel, 1, 256, 64)]))
        {
            _ = r[0].ToArray<float>();
        }
    });

    Generator();
    Direct();
    var generatorMs = Median(Enumerable.Range(0, 10 * rounds).Select(_ => Generator()));
    var directMs = Median(Enumerable.Range(0, 10 * rounds).Select(_ => Direct()));
    var overheadPerStepMs = Math.Max(0, generatorMs - directMs) / steps;

    // A stand-in UNet with the real interface and roughly the real compute: about 20 GFLOP per step at
    // batch 2 (estimated from audioldm-s-full's 128/256/384/640-channel 3x3 convolutions at 64x16..8x2).
    var standInPath = Path.Combine(dir, "unet-sized.onnx");
    File.WriteAllBytes(standInPath, ComputeSizedUnet(convolutions: 32, channels: 128));
    using var standIn = InferenceSession.Create(runtime, standInPath, new InferenceSessionOptions());
    double StandInStep() => Time(() =>
    {
        using var r = standIn.Run([
            OrtInput.Create<float>("sample", sample, 2, 8, 64, 16),
            OrtInput.Create<float>("timestep", new float[] { 961 }),
            OrtInput.Create<float>("class_labels", labels, 2, 512)]);
    });
    StandInStep();
    var stepMs = Median(Enumerable.Range(0, rounds).Select(_ => StandInStep()));
    rows.Add($"| AudioLDM generator overhead outside ORT per step (k=1, batch 2·1) | {overheadPerStepMs * 1000:F1} µs | contract models: generator {generatorMs:F2} ms vs direct ORT runs {directMs:F2} ms per 25-step block |");
    rows.Add($"| overhead share of one UNet step (stand-in, ~20 GFLOP, all cores) | {100 * overheadPerStepMs / stepMs:F3} % | stand-in step {stepMs:F1} ms; target ≤ 3 % |");
}
finally
{
    Directory.Delete(dir, recursive: true);
}

// 2. Procedural real-time factor on one core (blocks generated one after another on one thread).
{
    var condition = new float[512];
    GaussianNoise.Fill(3, condition);
    var blocks = 20;
    ProceduralGenerator(condition, 1, 0);
    var seconds = Median(Enumerable.Range(0, rounds).Select(_ => Time(() =>
    {
        for (var b = 0; b < blocks; b++)
        {
            ProceduralGenerator(condition, 1, b);
        }
    }))) / 1000;
    var audioSeconds = blocks * 2.56;
    rows.Add($"| procedural generator, one thread | {audioSeconds / seconds:F0}× real time | {blocks} blocks of 2.56 s in {seconds * 1000:F0} ms; target ≥ 200× |");
}

// 3. Stitcher throughput: an hour of 2.5 s blocks with a cut every ~7 s, read in 20 ms chunks.
{
    var total = 3600L * 16000;
    var block = new float[40960];
    GaussianNoise.Fill(5, block);
    var chunk = new float[320];
    double Stitch() => Time(() =>
    {
        var planner = new BlockPlanner();
        for (var cut = 112000L; cut < total; cut += 112000)
        {
            planner.AddCut(cut);
        }

        var stitcher = new AudioStitcher();
        foreach (var b in planner.Complete(total))
        {
            stitcher.Push(b.SceneIndex, b.StartSample, block);
            while (stitcher.Read(chunk) > 0)
            {
            }
        }

        stitcher.Complete(total);
        while (stitcher.Read(chunk) > 0)
        {
        }
    });
    double Copy() => Time(() =>
    {
        // The floor: copying every block once in and once out in the same chunks.
        var buffer = new float[40960];
        for (var position = 0L; position < total; position += 40000)
        {
            block.CopyTo(buffer, 0);
            for (var offset = 0; offset + chunk.Length <= 40000; offset += chunk.Length)
            {
                buffer.AsSpan(offset, chunk.Length).CopyTo(chunk);
            }
        }
    });
    Stitch();
    Copy();
    var stitchMs = Median(Enumerable.Range(0, rounds).Select(_ => Stitch()));
    var copyMs = Median(Enumerable.Range(0, rounds).Select(_ => Copy()));
    rows.Add($"| stitcher, 1 h of 16 kHz audio (1440 blocks, 514 cuts), 20 ms reads | {3600 / (stitchMs / 1000):F0}× real time | {stitchMs:F0} ms; {stitchMs / copyMs:F2}× a plain copy of the same samples ({copyMs:F0} ms) |");
}

Console.WriteLine("| measure | result | detail |");
Console.WriteLine("| --- | --- | --- |");
foreach (var row in rows)
{
    Console.WriteLine(row);
}

static float[] ProceduralGenerator(float[] condition, int multiple, long seed)
{
    using var generator = AudioGeneratorFactory.Create(new GeneratorSpec { Kind = GeneratorSpec.BuiltinProceduralKind }, null, null);
    return generator.GenerateAsync(condition, multiple, seed, CancellationToken.None).GetAwaiter().GetResult();
}

static double Time(Action action)
{
    var stopwatch = Stopwatch.StartNew();
    action();
    return stopwatch.Elapsed.TotalMilliseconds;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static byte[] ComputeSizedUnet(int convolutions, int channels)
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
