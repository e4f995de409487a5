using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Tests.Media;

namespace V2AStream.Core.Tests.Embedding;

/// <summary>The embedding stage over a frame source: what DetectScenes and the offline commands run.</summary>
public sealed class FrameEmbeddingStageSourceTests(MediaClips clips) : IClassFixture<MediaClips>
{
    [Fact]
    public async Task EmbedAllAsync_TruncatedFile_EmbedsEveryFrameReadThenThrowsTheSourcesError()
    {
        var stage = new FrameEmbeddingStage(new BuiltinPixelEmbedder(), TimeSpan.FromMilliseconds(100));
        var embedded = new List<FrameEmbedding>();

        var error = await Assert.ThrowsAsync<MediaException>(async () =>
        {
            await foreach (var embedding in stage.EmbedAllAsync(Reader().ReadFramesAsync(MediaSource.FromFile(clips.TruncatedFaststart)), capacity: 4))
            {
                embedded.Add(embedding);
            }
        });

        Assert.Equal(MediaErrorReason.Truncated, error.Reason);
        Assert.Equal(error.FramesRead, embedded.Count);
        Assert.Equal(Enumerable.Range(0, embedded.Count), embedded.Select(e => e.Index));
    }

    [Fact]
    public async Task VideoEmbeddings_TruncatedFile_KeepsEveryFrameReadAndSaysWhy()
    {
        var result = await VideoEmbeddings.EmbedAsync(MediaSource.FromFile(clips.TruncatedFaststart), Reader(), new BuiltinPixelEmbedder(), CancellationToken.None);

        Assert.Equal(MediaErrorReason.Truncated, result.Damage?.Reason);
        Assert.Equal(result.Damage!.FramesRead, result.Timestamps.Count);
        Assert.Equal(result.Timestamps.Count, result.Embeddings.Rows);
    }

    [Fact]
    public async Task EmbedAllAsync_AbandonedByTheConsumer_StopsTheSource()
    {
        var stage = new FrameEmbeddingStage(new BuiltinPixelEmbedder(), TimeSpan.Zero);
        var log = new StartedProcessLog<FrameReader>();
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = 4, Geometry = new BuiltinPixelEmbedder().Geometry }, log);

        await foreach (var embedding in stage.EmbedAllAsync(reader.ReadFramesAsync(MediaSource.FromFile(clips.Mp4)), capacity: 2))
        {
            break;
        }

        Assert.False(ChildProcesses.IsChild(Assert.Single(log.Pids)), "ffmpeg survived the abandoned enumeration");
    }

    private static FrameReader Reader() => new(new FrameReaderOptions { SampleFps = 4, Geometry = new BuiltinPixelEmbedder().Geometry });
}
