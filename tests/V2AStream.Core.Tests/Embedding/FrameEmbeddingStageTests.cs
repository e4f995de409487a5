using System.Threading.Channels;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Embedding;

public sealed class FrameEmbeddingStageTests
{
    [Fact]
    public async Task RunAsync_Frames_GivesOneEmbeddingPerFrameInOrderAndReleasesTheFrames()
    {
        var input = Channel.CreateBounded<VideoFrame>(4);
        var output = Channel.CreateUnbounded<FrameEmbedding>();
        var stage = new FrameEmbeddingStage(new BuiltinPixelEmbedder(), TimeSpan.FromMilliseconds(20));
        var running = stage.RunAsync(input.Reader, output.Writer, CancellationToken.None);

        var frames = Enumerable.Range(0, 7).Select(i => new VideoFrame(i, i / 4.0, 64, 64, new byte[64 * 64 * 3])).ToArray();
        foreach (var frame in frames)
        {
            await input.Writer.WriteAsync(frame);
        }

        input.Writer.Complete();
        await running;

        var embeddings = await output.Reader.ReadAllAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(0, 7), embeddings.Select(e => e.Index));
        Assert.Equal(frames.Select(f => f.TimeSeconds), embeddings.Select(e => e.TimeSeconds));
        Assert.All(embeddings, e => Assert.Equal(512, e.Vector.Length));
        Assert.All(frames, f => Assert.Throws<ObjectDisposedException>(() => f.Pixels));
    }
}
