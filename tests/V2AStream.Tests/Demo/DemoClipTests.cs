using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Scenes;
using V2AStream.Demo;

namespace V2AStream.Tests.Demo;

/// <summary>`./v2a demo` prints the clip's true cuts under the ones it found: with the built-in set they must agree.</summary>
public sealed class DemoClipTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-demo-clip-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task MakeAsync_BuiltinEmbeddingsAndRobustDetector_FindEveryCutAndNoOther()
    {
        var path = Path.Combine(_directory, "demo-input.mp4");
        await DemoClip.MakeAsync(new FfmpegTool(), path, CancellationToken.None);
        using var embedder = new BuiltinPixelEmbedder();
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = 4, Geometry = embedder.Geometry });

        var video = await VideoEmbeddings.EmbedAsync(MediaSource.FromFile(path), reader, embedder, CancellationToken.None);
        var result = SceneDetectors.Create(new SceneDetectorOptions { FramesPerSecond = 4 }).Detect(video.Embeddings.Data, video.Embeddings.Columns);

        Assert.Equal(DemoClip.CutSeconds, result.Cuts.Select(c => c.TimeSeconds));
    }
}
