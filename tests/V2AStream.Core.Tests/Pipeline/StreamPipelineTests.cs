using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Tests.Generation;
using V2AStream.Core.Tests.Media;
using V2AStream.Core.Tests.Models;

namespace V2AStream.Core.Tests.Pipeline;

public sealed class StreamPipelineTests(SceneClip clip) : IClassFixture<SceneClip>
{
    private const int SampleRate = 16000;

    [Theory]
    [InlineData(GenerationMode.Quality)]
    [InlineData(GenerationMode.Live)]
    public async Task RunAsync_ThreeSceneClip_ExactSamplesContiguousChunksAndCutsAtTheSceneChanges(GenerationMode mode)
    {
        await using var set = await BuiltinSet.LoadAsync();
        var pipeline = new StreamPipeline(set, new PipelineOptions { Mode = mode, ChunkMilliseconds = 250 });

        var events = await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(clip.Path)));

        var chunks = events.OfType<AudioChunkReady>().ToList();
        var expectedSamples = (long)Math.Round(SceneClip.DurationSeconds * SampleRate);
        Assert.Equal(expectedSamples, chunks.Sum(c => (long)c.Samples.Length));
        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(i, chunks[i].Sequence);
            Assert.Equal(i == 0 ? 0 : chunks[i - 1].StartSample + chunks[i - 1].Samples.Length, chunks[i].StartSample);
        }

        Assert.All(chunks.SkipLast(1), c => Assert.Equal(4000, c.Samples.Length));
        Assert.All(chunks, c => Assert.All(c.Samples, s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1f)));

        var scenes = events.OfType<SceneUpdate>().ToList();
        Assert.Equal(SceneClip.SceneCount, scenes.Count);
        Assert.Equal([0, 1, 2], scenes.Select(s => s.SceneIndex));
        Assert.Equal(0, scenes[0].StartSeconds);
        Assert.Equal(3.0, scenes[1].StartSeconds, 0.26);
        Assert.Equal(6.0, scenes[2].StartSeconds, 0.26);
        Assert.Equal(SceneClip.DurationSeconds, scenes[2].EndSeconds, 0.01);

        var summary = Assert.IsType<PipelineSummary>(events[^1]);
        Assert.Equal(36, summary.Frames);
        Assert.Equal(3, summary.Scenes);
        Assert.Equal(expectedSamples, summary.Samples);
        var cutSample = scenes[1].StartFrame * SampleRate / 4;
        var firstOfScene1 = chunks.First(c => c.SceneIndex == 1).StartSample;
        Assert.InRange(firstOfScene1, cutSample, cutSample + 3999);
    }

    [Fact]
    public async Task RunAsync_SameSeedTwice_SameAudio()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var pipeline = new StreamPipeline(set, new PipelineOptions { Seed = 42 });
        var first = (await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(clip.Path)))).OfType<AudioChunkReady>().SelectMany(c => c.Samples).ToArray();
        var second = (await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(clip.Path)))).OfType<AudioChunkReady>().SelectMany(c => c.Samples).ToArray();
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task RunAsync_FromAStream_SameScenesAsFromTheFile()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var pipeline = new StreamPipeline(set, new PipelineOptions());
        var fromFile = (await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(clip.Path)))).OfType<SceneUpdate>().Select(s => s.StartFrame).ToArray();
        await using var stream = File.OpenRead(clip.Path);
        var fromStream = await CollectAsync(pipeline.RunAsync(MediaSource.FromStream(stream)));
        Assert.Equal(fromFile, fromStream.OfType<SceneUpdate>().Select(s => s.StartFrame));
        Assert.Equal((long)Math.Round(SceneClip.DurationSeconds * SampleRate), fromStream.OfType<AudioChunkReady>().Sum(c => (long)c.Samples.Length));
    }

    [Fact]
    public async Task RunAsync_FileCutInHalf_AudioForWhatDecodedAndTheSummarySaysItEndedEarly()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var cut = V2AStream.Testing.Media.HostileMedia.Head(clip.Path, 0.5, "three-scenes-half.mp4");
        var pipeline = new StreamPipeline(set, new PipelineOptions());

        var events = await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(cut)));

        var summary = Assert.IsType<PipelineSummary>(events[^1]);
        Assert.InRange(summary.Frames, 8, 28);
        Assert.Equal((long)Math.Round(summary.Frames / 4.0 * SampleRate), events.OfType<AudioChunkReady>().Sum(c => (long)c.Samples.Length));
        Assert.Equal(summary.Samples, events.OfType<AudioChunkReady>().Sum(c => (long)c.Samples.Length));
        Assert.NotNull(summary.InputEndedEarly);
        Assert.Contains("truncated", summary.InputEndedEarly, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TimestampsJump23Hours_TenSecondsOfAudioAndTheJumpCounted()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var directory = Directory.CreateTempSubdirectory("v2a-pipeline-jump-").FullName;
        try
        {
            var pipeline = new StreamPipeline(set, new PipelineOptions());

            var events = await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(V2AStream.Testing.Media.HostileMedia.TimestampJumpMkv(directory))));

            var summary = Assert.IsType<PipelineSummary>(events[^1]);
            Assert.Equal(40, summary.Frames);
            Assert.Equal(160_000, summary.Samples);
            Assert.Equal(1, summary.TimestampDiscontinuities);
            Assert.Null(summary.InputEndedEarly);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_CancelledMidStream_ThrowsAndLeavesNoFfmpegChild()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var log = new StartedProcessLog<FrameReader>();
        var pipeline = new StreamPipeline(set, new PipelineOptions(), loggerFactory: new SingleLoggerFactory(log));
        using var cancellation = new CancellationTokenSource();
        var source = OpenLiveSource(out var writer);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in pipeline.RunAsync(source, cancellation.Token))
            {
                if (item is PipelineProgress)
                {
                    Assert.True(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg should be running mid-stream");
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.False(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg survived the cancelled stream");
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task RunAsync_AbandonedByTheConsumer_LeavesNoFfmpegChild()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var log = new StartedProcessLog<FrameReader>();
        var pipeline = new StreamPipeline(set, new PipelineOptions(), loggerFactory: new SingleLoggerFactory(log));
        var source = OpenLiveSource(out var writer);
        await foreach (var item in pipeline.RunAsync(source))
        {
            if (item is PipelineProgress)
            {
                Assert.True(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg should be running mid-stream");
                break;
            }
        }

        Assert.False(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg survived the abandoned stream");
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task RunAsync_CancelledWhileItsBlockIsGenerating_EndsOnlyAfterThatRunEnded()
    {
        var kind = new GatedGeneratorKind();
        await using var set = await kind.LoadAsync(clip.Directory);
        var pipeline = new StreamPipeline(set, new PipelineOptions());
        using var cancellation = new CancellationTokenSource();

        var run = CollectAsync(pipeline.RunAsync(MediaSource.FromFile(clip.Path), cancellation.Token));
        await kind.Generator.WaitForRunsAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(1, kind.Generator.Cancelled);
        Assert.Equal(0, set.Scheduler.RunningRuns);
    }

    [Fact]
    public async Task RunAsync_TwoStreamsSharingTheSetsScheduler_EachGetsTheAudioItGetsAlone()
    {
        var metrics = new BatchRecorder();
        await using var set = await BuiltinSet.LoadAsync(new ModelSetLoaderOptions { Metrics = metrics });
        var options = new PipelineOptions { Seed = 7 };
        var aloneEvents = await CollectAsync(new StreamPipeline(set, options).RunAsync(MediaSource.FromFile(clip.Path)));
        var alone = aloneEvents.OfType<AudioChunkReady>().SelectMany(c => c.Samples).ToArray();

        var together = await Task.WhenAll(AudioAsync(new StreamPipeline(set, options)), AudioAsync(new StreamPipeline(set, options with { Seed = 8 })));

        Assert.Equal(alone, together[0]);
        Assert.NotEqual(alone, together[1]);
        Assert.Equal(3 * aloneEvents.OfType<PipelineSummary>().Single().Blocks, metrics.Blocks);
    }

    /// <summary>A stream source that has sent the whole clip but never ends, like a live feed that pauses.</summary>
    private MediaSource OpenLiveSource(out System.IO.Pipelines.PipeWriter writer)
    {
        var source = MediaSource.CreatePipe(out writer, bufferBytes: 8 << 20);
        writer.Write(File.ReadAllBytes(clip.TsPath).AsSpan());
        _ = writer.FlushAsync();
        return source;
    }

    [Fact]
    public async Task RunAsync_NotAVideo_ThrowsMediaException()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var path = Path.Combine(clip.Directory, "notes.txt");
        await File.WriteAllTextAsync(path, "not a video at all\n");
        var pipeline = new StreamPipeline(set, new PipelineOptions());
        await Assert.ThrowsAsync<MediaException>(() => CollectAsync(pipeline.RunAsync(MediaSource.FromFile(path))));
    }

    [Fact]
    public async Task Create_InvalidOptions_ThrowsListingProblems()
    {
        await using var set = await BuiltinSet.LoadAsync();
        var error = Assert.Throws<ArgumentException>(() => new StreamPipeline(set, new PipelineOptions { SampleFps = 0, BlockMultiple = 99 }));
        Assert.Contains("sample_fps", error.Message, StringComparison.Ordinal);
        Assert.Contains("block multiple", error.Message, StringComparison.Ordinal);
    }

    private async Task<float[]> AudioAsync(StreamPipeline pipeline) =>
        (await CollectAsync(pipeline.RunAsync(MediaSource.FromFile(clip.Path)))).OfType<AudioChunkReady>().SelectMany(c => c.Samples).ToArray();

    private static async Task<List<PipelineEvent>> CollectAsync(IAsyncEnumerable<PipelineEvent> events)
    {
        var result = new List<PipelineEvent>();
        await foreach (var item in events)
        {
            result.Add(item);
        }

        return result;
    }

    /// <summary>Counts the blocks the set's scheduler ran for the streams.</summary>
    private sealed class BatchRecorder : IPipelineMetrics
    {
        private int _blocks;

        public int Blocks => Volatile.Read(ref _blocks);

        public void OnFrameIngested()
        {
        }

        public void OnStageWork(string stage, TimeSpan elapsed)
        {
        }

        public void OnModelRun(string model, TimeSpan elapsed)
        {
        }

        public void OnBlockGenerated()
        {
        }

        public void OnGenerationBatch(int blocks) => Interlocked.Add(ref _blocks, blocks);

        public IDisposable TrackQueues(Func<IReadOnlyList<KeyValuePair<string, int>>> depths) => NullPipelineMetrics.Instance.TrackQueues(depths);
    }

    private sealed class SingleLoggerFactory(ILogger<FrameReader> readerLogger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName == typeof(FrameReader).FullName ? readerLogger : NullLogger.Instance;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
