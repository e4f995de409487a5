// AudioLDM on a GPU (bench/README.md, "## AudioLDM on a GPU"): the generator's own IOBinding loop on the contract
// AudioLDM graphs with a stand-in UNet of the real size (about 20 GFLOP a step at the guidance batch 2), on the device
// given. Prints ms per UNet step, ms per 2.56 s block (STEPS steps, guidance batch 2, VAE and vocoder included) and the
// real-time factor of one stream. The VAE and vocoder are the tiny contract graphs: the real ones add their own time.
// Usage: GpuBench [--device cuda:N] [--steps 25] [--rounds 5]
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using V2AStream.Bench;
using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using V2AStream.Onnx.Cuda;
using V2AStream.Testing.Onnx;

var device = OrtDevice.Cuda(0);
var steps = 25;
var rounds = 5;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--device": device = OrtDevice.Parse(args[i + 1]); break;
        case "--steps": steps = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}; usage: GpuBench [--device cuda:N] [--steps 25] [--rounds 5]"); return 2;
    }
}

var loader = new ModelSetLoader(new ModelSetCatalog([], []), new ModelSetLoaderOptions { Device = device });
OrtSessionFactory sessions;
try
{
    sessions = loader.Sessions;
}
catch (OrtException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

var where = device.IsCpu ? "CPU" : new CudaProbe().Check(sessions.Runtime, device.Id).Detail;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime {sessions.Runtime.Version}, device {device} ({where}), {steps} steps, load average {BenchSupport.LoadAverage()}"));
var dir = Directory.CreateTempSubdirectory("v2a-gpu-bench-").FullName;
try
{
    AudioLdmContractModels.WriteModelSet(dir, steps, unet: AudioLdmContractModels.ComputeSizedUnet());

    // One UNet step as the generator makes it: input and output stay on the device, only the timestep goes in.
    using var unet = sessions.Open(Path.Combine(dir, AudioLdmContractModels.UnetFile));
    using var labelsIn = OrtValue.CreateTensorValueFromMemory(new float[2 * 512], [2, 512]);
    using var firstSample = OrtValue.CreateTensorValueFromMemory(new float[2 * 8 * 64 * 16], [2, 8, 64, 16]);
    using var sampleA = unet.AllocateTensor(2, 8, 64, 16);
    using var sampleB = unet.AllocateTensor(2, 8, 64, 16);
    using var timestep = OrtValue.CreateTensorValueFromMemory(new float[] { 961 }, []);
    using var binding = unet.Session.CreateIoBinding();
    binding.BindInput("class_labels", labelsIn);
    binding.BindInput("timestep", timestep);
    binding.BindInput("sample", firstSample);
    binding.BindOutput("out_sample", sampleA);
    unet.Run(binding, CancellationToken.None);
    var (input, output) = (sampleA, sampleB);
    var stepMs = BenchSupport.Median(Enumerable.Range(0, rounds * steps).Select(_ =>
    {
        binding.BindInput("sample", input);
        binding.BindOutput("out_sample", output);
        var ms = Time(() => unet.Run(binding, CancellationToken.None));
        (input, output) = (output, input);
        return ms;
    }));

    // Whole blocks through the generator: starting noise and condition in, the sampling loop on the device, waveform out.
    await using var set = await loader.LoadAsync(dir, [ModelPartSlot.Generator], CancellationToken.None);
    var generator = set.Generator;
    var condition = new float[512];
    GaussianNoise.Fill(1, condition);
    generator.GenerateAsync(condition, 1, 0, CancellationToken.None).GetAwaiter().GetResult();
    var blockMs = BenchSupport.Median(Enumerable.Range(0, rounds).Select(round =>
        Time(() => generator.GenerateAsync(condition, 1, round, CancellationToken.None).GetAwaiter().GetResult())));

    const double blockSeconds = 2.56;
    Console.WriteLine("| measure | result |");
    Console.WriteLine("| --- | ---: |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| UNet step, stand-in of the real size (~20 GFLOP, guidance batch 2) | {stepMs:F2} ms |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| 2.56 s block ({steps} steps, guidance batch 2, contract VAE and vocoder) | {blockMs:F1} ms |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| real-time factor of one stream (2.56 s of audio / block time) | {blockSeconds * 1000 / blockMs:F1}x |"));
    return 0;
}
finally
{
    Directory.Delete(dir, recursive: true);
}

static double Time(Action action)
{
    var started = Stopwatch.GetTimestamp();
    action();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
