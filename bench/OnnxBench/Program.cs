using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using V2AStream.Onnx;

// Latency of one MobileNetV2 run through ModelSession (ONNX Runtime's .NET API, Microsoft.ML.OnnxRuntime), the way
// OnnxImageEmbedder runs it: a tensor over the caller's pinned floats, the named output read in place. Printed as JSON
// lines that bench/onnx.sh pairs with the reference's figures for the same settings. Usage: OnnxBench MODEL RUNS
var modelPath = args[0];
var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
const int warmup = 10;

var sessions = OrtSessionFactory.Create(OrtDevice.Cpu);
foreach (var threads in new[] { 1, 2 })
{
    using var session = sessions.Open(modelPath, new SessionSettings { IntraOpThreads = threads, InterOpThreads = 1 });
    foreach (var batch in new[] { 1, 8 })
    {
        var input = new float[batch * 3 * 224 * 224];
        var random = new Random(1);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 4) - 2);
        }

        string[] outputs = ["embedding"];
        var samples = new double[runs];
        for (var i = -warmup; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(), [batch, 3, 224, 224]))
            using (var result = session.Run(new Dictionary<string, OrtValue> { ["input"] = tensor }, outputs))
            {
                _ = result.First().GetTensorDataAsSpan<float>()[0];
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        Array.Sort(samples);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"runner\":\"dotnet-api\",\"threads\":{threads},\"batch\":{batch},\"median_ms\":{samples[runs / 2]:F3}}}"));
    }
}
