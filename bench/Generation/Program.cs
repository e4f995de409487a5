// Audio generation benchmarks (bench/README.md, "## Audio generation"):
//   1. AudioLDM generator overhead outside the models (noise, labels, the sampling graphs for guidance and DDIM,
//      IOBinding, tensor allocation) per DDIM step, measured as (generator run) - (the same model runs made
//      directly), on contract models with the real tensor shapes; and its share of one step of a compute-sized
//      stand-in UNet.
//   2. The procedural generator's real-time factor on one core.
//   3. The stitcher's throughput against a plain copy of the same samples.
//   4. The generation scheduler a model set's streams share: QUALITY blocks/s with batching against without, LIVE
//      block latency (SchedulerBench).
// Usage: bench/generation.sh [ROUNDS] [scheduler [STAND_IN_STEPS]] (scheduler: only section 4)
//        bench/generation.sh 1 write-sets DIR CONTRACT_STEPS STAND_IN_STEPS (the two AudioLDM sets as folders, for v2a soak)
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Core.Stitching;
using V2AStream.Onnx;
using V2AStream.Bench.Generation;
using V2AStream.Testing.Onnx;
using static V2AStream.Bench.BenchSupport;

var rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
if (args.Length > 1 && args[1] == "write-sets")
{
    // For the daemon-level figures (v2a soak --model-set DIR): the contract set and the stand-in UNet set on disk.
    var target = args[2];
    var contractSteps = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
    var standInSteps = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
    AudioLdmContractModels.WriteModelSet(Path.Combine(target, "contract"), contractSteps);
    AudioLdmContractModels.WriteModelSet(Path.Combine(target, "standin"), standInSteps, AudioLdmContractModels.ComputeSizedUnet());
    Console.WriteLine($"wrote {target}/contract ({contractSteps} steps) and {target}/standin ({standInSteps} steps)");
    return;
}

if (args.Length > 1 && args[1] == "scheduler")
{
    var standInSteps = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
    Console.WriteLine($"load average {LoadAverage()}");
    Console.WriteLine("| set | measure | result | ratio | detail |");
    Console.WriteLine("| --- | --- | --- | ---: | --- |");
    foreach (var row in await SchedulerBench.RunAsync(rounds, standInSteps))
    {
        Console.WriteLine(row);
    }

    Console.WriteLine($"load average {LoadAverage()}");
    return;
}

var rows = new List<string>();
var settings = new SessionSettings { IntraOpThreads = 1, InterOpThreads = 1 };
var loader = new ModelSetLoader(new ModelSetCatalog([], []), new ModelSetLoaderOptions { SessionSettings = settings });
var sessions = loader.Sessions;

// 1. Overhead outside the models.
var dir = Directory.CreateTempSubdirectory("v2a-bench-").FullName;
try
{
    const int steps = 25;
    AudioLdmContractModels.WriteModelSet(dir, steps);
    await using var set = await loader.LoadAsync(dir, [ModelPartSlot.Generator], CancellationToken.None);
    var generator = set.Generator;
    using var unet = sessions.Open(Path.Combine(dir, AudioLdmContractModels.UnetFile), settings);
    using var vae = sessions.Open(Path.Combine(dir, AudioLdmContractModels.VaeDecoderFile), settings);
    using var vocoder = sessions.Open(Path.Combine(dir, AudioLdmContractModels.VocoderFile), settings);
    var condition = new float[512];
    GaussianNoise.Fill(1, condition);
    var sample = new float[2 * 8 * 64 * 16];
    var labels = new float[2 * 512];
    var latent = new float[8 * 64 * 16];
    var mel = new float[256 * 64];

    double Generator() => Time(() => generator.GenerateAsync(condition, 1, 7, CancellationToken.None).GetAwaiter().GetResult());
    double Direct() => Time(() =>
    {
        // The floor: each model run once per step on host tensors, outputs read back, nothing else.
        for (var s = 0; s < steps; s++)
        {
            using var sampleValue = OrtValue.CreateTensorValueFromMemory(sample, [2, 8, 64, 16]);
            using var timestep = OrtValue.CreateTensorValueFromMemory(new float[] { 961 }, []);
            using var labelValue = OrtValue.CreateTensorValueFromMemory(labels, [2, 512]);
            using var r = unet.Run(new Dictionary<string, OrtValue> { ["sample"] = sampleValue, ["timestep"] = timestep, ["class_labels"] = labelValue });
            _ = r.First().GetTensorDataAsSpan<float>().ToArray();
        }

        using (var latentValue = OrtValue.CreateTensorValueFromMemory(latent, [1, 8, 64, 16]))
        using (var r = vae.Run(new Dictionary<string, OrtValue> { ["latent"] = latentValue }))
        {
            _ = r.First().GetTensorDataAsSpan<float>().ToArray();
        }

        using (var melValue = OrtValue.CreateTensorValueFromMemory(mel, [1, 256, 64]))
        using (var r = vocoder.Run(new Dictionary<string, OrtValue> { ["mel"] = melValue }))
        {
            _ = r.First().GetTensorDataAsSpan<float>().ToArray();
        }
    });

    Generator();
    Direct();
    var generatorMs = Median(Enumerable.Range(0, 10 * rounds).Select(_ => Generator()));
    var directMs = Median(Enumerable.Range(0, 10 * rounds).Select(_ => Direct()));
    var overheadPerStepMs = Math.Max(0, generatorMs - directMs) / steps;

    var standInPath = Path.Combine(dir, "unet-sized.onnx");
    File.WriteAllBytes(standInPath, AudioLdmContractModels.ComputeSizedUnet());
    using var standIn = sessions.Open(standInPath);
    double StandInStep() => Time(() =>
    {
        using var sampleValue = OrtValue.CreateTensorValueFromMemory(sample, [2, 8, 64, 16]);
        using var timestep = OrtValue.CreateTensorValueFromMemory(new float[] { 961 }, []);
        using var labelValue = OrtValue.CreateTensorValueFromMemory(labels, [2, 512]);
        using var r = standIn.Run(new Dictionary<string, OrtValue> { ["sample"] = sampleValue, ["timestep"] = timestep, ["class_labels"] = labelValue });
    });
    StandInStep();
    var stepMs = Median(Enumerable.Range(0, rounds).Select(_ => StandInStep()));
    rows.Add($"| AudioLDM generator overhead outside the models per step (k=1, batch 2·1) | {overheadPerStepMs * 1000:F1} µs | contract models: generator {generatorMs:F2} ms vs direct model runs {directMs:F2} ms per 25-step block |");
    rows.Add($"| overhead share of one UNet step (stand-in, ~20 GFLOP, all cores) | {100 * overheadPerStepMs / stepMs:F3} % | stand-in step {stepMs:F1} ms; target ≤ 3 % |");
}
finally
{
    Directory.Delete(dir, recursive: true);
}

// 2. Procedural real-time factor on one core (blocks generated one after another on one thread).
await using (var builtin = await loader.LoadAsync(ModelSetManifest.BuiltinName, [ModelPartSlot.Generator], CancellationToken.None))
{
    float[] ProceduralGenerator(float[] condition, int multiple, long seed) =>
        builtin.Generator.GenerateAsync(condition, multiple, seed, CancellationToken.None).GetAwaiter().GetResult();

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

static double Time(Action action)
{
    var stopwatch = Stopwatch.StartNew();
    action();
    return stopwatch.Elapsed.TotalMilliseconds;
}
