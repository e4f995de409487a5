using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using V2AStream.Core.Scenes;

// Cost per frame of IncrementalSceneDetector.Push against the same window's Gram matrix rebuilt every frame (what
// recomputing the paper's S = X X^T per window costs), both measured here in one invocation on the same embeddings.
// Usage: cost [DIMENSIONS [WINDOWS]]  |  accuracy CUTS_FOLDER [PYSCENEDETECT_SOURCE_FOLDER]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "accuracy")
{
    await V2AStream.Bench.Scenes.Accuracy.RunAsync(args[1], args.Length > 2 ? args[2] : null);
    return;
}

var costArgs = args.Length > 0 && args[0] == "cost" ? args[1..] : args;
int[] dimensions = costArgs.Length > 0 ? [.. costArgs[0].Split(',').Select(int.Parse)] : [512, 1280];
int[] windows = costArgs.Length > 1 ? [.. costArgs[1].Split(',').Select(int.Parse)] : [64, 128, 256, 512, 1024];

Console.WriteLine($"# {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}, vector {System.Numerics.Vector<float>.Count * 32} bit");
// Warm-up: let tiered compilation settle before the first row is timed.
MeasureIncremental(RandomEmbeddings(2064, 512, seed: 1), 512, 64, 2000);
MeasureRebuild(RandomEmbeddings(600, 64, seed: 1), 64, 64, 20);

Console.WriteLine("| D | W | incremental µs/frame | per W (ns) | rebuild µs/frame | rebuild / incremental |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var dimension in dimensions)
{
    foreach (var window in windows)
    {
        var measured = Math.Max(2000, 4 * window);
        var embeddings = RandomEmbeddings(window + measured, dimension, seed: window + dimension);
        var incremental = MeasureIncremental(embeddings, dimension, window, measured);
        var rebuildFrames = Math.Clamp(2_000_000_000 / (window * window * dimension), 3, 200);
        var rebuild = MeasureRebuild(embeddings, dimension, window, rebuildFrames);
        Console.WriteLine($"| {dimension} | {window} | {incremental:F1} | {incremental * 1000 / window:F0} | {rebuild:F0} | {rebuild / incremental:F0}x |");
    }
}

static double MeasureIncremental(float[] embeddings, int dimension, int window, int measured)
{
    double best = double.MaxValue;
    for (var repeat = 0; repeat < 3; repeat++)
    {
        // WindowSeconds at 1 fps gives exactly `window` frames; the first `window` frames fill it before timing.
        var detector = new IncrementalSceneDetector(new SceneDetectorOptions { FramesPerSecond = 1, WindowSeconds = window, MinSceneSeconds = 1 }, dimension);
        for (var t = 0; t < window; t++)
        {
            detector.Push(embeddings.AsSpan(t * dimension, dimension));
        }

        var stopwatch = Stopwatch.StartNew();
        for (var t = window; t < window + measured; t++)
        {
            detector.Push(embeddings.AsSpan(t * dimension, dimension));
        }

        best = Math.Min(best, stopwatch.Elapsed.TotalMicroseconds / measured);
    }

    return best;
}

static double MeasureRebuild(float[] embeddings, int dimension, int window, int frames)
{
    var gram = new float[window * window];
    var rowMeans = new double[window];
    double sink = 0;
    var stopwatch = Stopwatch.StartNew();
    for (var n = window; n < window + frames; n++)
    {
        var low = n - window + 1;
        for (var a = 0; a < window; a++)
        {
            var rowA = embeddings.AsSpan((low + a) * dimension, dimension);
            for (var b = 0; b <= a; b++)
            {
                var value = TensorPrimitives.Dot(rowA, embeddings.AsSpan((low + b) * dimension, dimension));
                gram[(a * window) + b] = value;
                gram[(b * window) + a] = value;
            }
        }

        for (var a = 0; a < window; a++)
        {
            rowMeans[a] = TensorPrimitives.Sum(gram.AsSpan(a * window, window)) / (double)window;
        }

        // dS of the newest boundary, as the paper's formula reads it.
        double score = 0;
        for (var j = 0; j < window; j++)
        {
            score += Math.Abs(gram[((window - 2) * window) + j] - gram[((window - 1) * window) + j] - (rowMeans[window - 2] - rowMeans[window - 1]));
        }

        sink += score;
    }

    GC.KeepAlive(sink);
    return stopwatch.Elapsed.TotalMicroseconds / frames;
}

static float[] RandomEmbeddings(int frames, int dimension, int seed)
{
    var random = new Random(seed);
    var data = new float[frames * dimension];
    for (var i = 0; i < data.Length; i++)
    {
        data[i] = (float)(random.NextDouble() - 0.5);
    }

    return data;
}
