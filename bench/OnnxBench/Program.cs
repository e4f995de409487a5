using System.Diagnostics;
using System.Globalization;
using V2AStream.Onnx;

// Latency of one MobileNetV2 run through our binding, printed as JSON lines that bench/onnx.sh
// pairs with onnxruntime-node's figures for the same settings. Usage: OnnxBench MODEL RUNS
var modelPath = args[0];
var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
const int warmup = 10;

using var runtime = OrtRuntime.Load();
foreach (var threads in new[] { 1, 2 })
{
    using var session = InferenceSession.Create(runtime, modelPath, new InferenceSessionOptions { IntraOpThreads = threads, InterOpThreads = 1 });
    foreach (var batch in new[] { 1, 8 })
    {
        var input = new float[batch * 3 * 224 * 224];
        var random = new Random(1);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 4) - 2);
        }

        var inputs = new[] { OrtInput.Create<float>("input", input, batch, 3, 224, 224) };
        string[] outputs = ["embedding"];
        var samples = new double[runs];
        for (var i = -warmup; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (session.Run(inputs, outputs))
            {
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        Array.Sort(samples);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"runner\":\"csharp\",\"threads\":{threads},\"batch\":{batch},\"median_ms\":{samples[runs / 2]:F3}}}"));
    }
}
