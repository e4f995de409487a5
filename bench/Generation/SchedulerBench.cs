using System.Diagnostics;
using System.Globalization;
using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using V2AStream.Testing.Onnx;
using static V2AStream.Bench.BenchSupport;

namespace V2AStream.Bench.Generation;

/// <summary>
/// The generation scheduler shared by a model set's streams (bench/README.md, "Generation scheduler"), on the AudioLDM
/// contract graphs and on the set with the compute-sized stand-in UNet, each configuration loaded through the
/// <see cref="ModelSetLoader"/> as the daemon loads it, with one run at a time (the default):
/// <list type="bullet">
/// <item>QUALITY throughput: 4 streams submit their blocks as a file-fed pipeline does (up to 8 waiting each, awaited in
/// order); blocks per second with batching (up to 4 blocks a run) against without (1), alternating in each round.</item>
/// <item>LIVE latency: 4 LIVE streams each submit a block every period (staggered, the period set so that the blocks
/// alone would keep the generator half busy without batching); the time from submission to audio per block, p50 and
/// p99, alone and with 4 QUALITY streams saturating the generator at the same time.</item>
/// </list>
/// </summary>
internal static class SchedulerBench
{
    private const int Streams = 4;
    private const int QueuedPerStream = 8;

    public static async Task<List<string>> RunAsync(int rounds, int standInSteps)
    {
        var rows = new List<string>();
        var condition = new float[512];
        GaussianNoise.Fill(1, condition);
        foreach (var (name, steps, unet, qualityBlocks, liveBlocks) in new[]
        {
            ("contract graphs, 25 steps", 25, (byte[]?)null, 64, 60),
            ($"stand-in UNet (~20 GFLOP a step), {standInSteps} steps", standInSteps, AudioLdmContractModels.ComputeSizedUnet(), 4, 6),
        })
        {
            var dir = Directory.CreateTempSubdirectory("v2a-scheduler-bench-").FullName;
            try
            {
                AudioLdmContractModels.WriteModelSet(dir, steps, unet);
                var batched = new List<double>();
                var single = new List<double>();
                for (var round = 0; round < rounds; round++)
                {
                    single.Add(await QualityBlocksPerSecondAsync(dir, maxBatch: 1, qualityBlocks, condition));
                    batched.Add(await QualityBlocksPerSecondAsync(dir, maxBatch: 4, qualityBlocks, condition));
                }

                var (one, four) = (Median(single), Median(batched));
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | 4 QUALITY streams, blocks/s: batch up to 4 vs 1 | {four:F2} vs {one:F2} | **{four / one:F2}x** | {Streams} x {qualityBlocks} blocks, median of {rounds} alternating rounds |"));

                var blockSeconds = await SingleBlockSecondsAsync(dir, condition);
                var period = TimeSpan.FromSeconds(blockSeconds * Streams * 2);
                foreach (var withQuality in new[] { false, true })
                {
                    var cells = new List<string>();
                    foreach (var maxBatch in new[] { 1, 4 })
                    {
                        var (p50, p99) = await LiveLatencyAsync(dir, maxBatch, liveBlocks, period, withQuality, condition);
                        cells.Add(string.Create(CultureInfo.InvariantCulture, $"batch {maxBatch}: {p50 * 1000:F0} / {p99 * 1000:F0} ms"));
                    }

                    var what = withQuality ? "4 LIVE + 4 saturating QUALITY streams" : "4 LIVE streams";
                    rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {name} | {what}, LIVE block latency p50 / p99 | {string.Join("; ", cells)} | | one block alone {blockSeconds * 1000:F0} ms; a LIVE block every {period.TotalMilliseconds:F0} ms per stream, {liveBlocks} per stream |"));
                }
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return rows;
    }

    private static ModelSetLoader Loader(int maxBatch) =>
        new(new ModelSetCatalog([], []), new ModelSetLoaderOptions { Generation = new GenerationSchedulerOptions { MaxBatchBlocks = maxBatch } });

    private static async Task<double> QualityBlocksPerSecondAsync(string dir, int maxBatch, int blocksPerStream, float[] condition)
    {
        await using var set = await Loader(maxBatch).LoadAsync(dir, [ModelPartSlot.Generator], CancellationToken.None);
        await StreamAsync(set.Scheduler, GenerationPriority.Quality, 1, condition, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Streams).Select(s => StreamAsync(set.Scheduler, GenerationPriority.Quality, blocksPerStream, condition, CancellationToken.None, seed: s * 1000)));
        return Streams * blocksPerStream / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> SingleBlockSecondsAsync(string dir, float[] condition)
    {
        await using var set = await Loader(1).LoadAsync(dir, [ModelPartSlot.Generator], CancellationToken.None);
        await StreamAsync(set.Scheduler, GenerationPriority.Quality, 1, condition, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        await StreamAsync(set.Scheduler, GenerationPriority.Quality, 3, condition, CancellationToken.None);
        return watch.Elapsed.TotalSeconds / 3;
    }

    /// <summary>A stream that submits its blocks as fast as its window of waiting blocks allows and awaits them in order.</summary>
    private static async Task StreamAsync(GenerationScheduler scheduler, GenerationPriority priority, int blocks, float[] condition, CancellationToken cancellationToken, int seed = 0)
    {
        await using var lane = scheduler.OpenLane(priority);
        var waiting = new Queue<GenerationJob>();
        for (var b = 0; b < blocks && !cancellationToken.IsCancellationRequested; b++)
        {
            if (waiting.Count == QueuedPerStream)
            {
                await waiting.Dequeue().Completion.ConfigureAwait(false);
            }

            waiting.Enqueue(lane.Submit(new BlockRequest(condition, 1, seed + b)));
        }

        while (waiting.Count > 0)
        {
            await waiting.Dequeue().Completion.ConfigureAwait(false);
        }
    }

    private static async Task<(double P50, double P99)> LiveLatencyAsync(string dir, int maxBatch, int blocksPerStream, TimeSpan period, bool withQuality, float[] condition)
    {
        await using var set = await Loader(maxBatch).LoadAsync(dir, [ModelPartSlot.Generator], CancellationToken.None);
        using var stopQuality = new CancellationTokenSource();
        var quality = withQuality
            ? Enumerable.Range(0, Streams).Select(s => StreamAsync(set.Scheduler, GenerationPriority.Quality, int.MaxValue, condition, stopQuality.Token, seed: 100_000 * (s + 1))).ToArray()
            : [];
        var latencies = await Task.WhenAll(Enumerable.Range(0, Streams).Select(s => LiveStreamAsync(set.Scheduler, s, blocksPerStream, period, condition)));
        await stopQuality.CancelAsync();
        await Task.WhenAll(quality);
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return (Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    }

    /// <summary>One LIVE stream: a block every <paramref name="period"/> from its own phase, each timed from submission to audio.</summary>
    private static async Task<List<double>> LiveStreamAsync(GenerationScheduler scheduler, int stream, int blocks, TimeSpan period, float[] condition)
    {
        await Task.Delay(period * stream / Streams);
        await using var lane = scheduler.OpenLane(GenerationPriority.Live);
        var latencies = new List<double>();
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (var b = 0; b < blocks; b++)
        {
            var due = period * b - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var submitted = Stopwatch.GetTimestamp();
            var job = lane.Submit(new BlockRequest(condition, 1, (stream * 10_000) + b));
            pending.Add(job.Completion.ContinueWith(
                _ =>
                {
                    lock (latencies)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(submitted).TotalSeconds);
                    }
                },
                TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
        return latencies;
    }
}
