using V2AStream.Core.Scenes;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Scenes;

/// <summary>
/// The streaming detector as the pipeline runs it (<see cref="V2AStream.Core.Media.FrameReader"/> at 4 fps, a model
/// set's embedder, <see cref="IncrementalSceneDetector"/>) on synthetic clips: a still picture is one scene whatever its
/// codec does, and three distinct scenes are three.
/// </summary>
public sealed class LavfiClipSceneTests(LavfiSceneClips clips) : IClassFixture<LavfiSceneClips>
{
    private const double SampleFps = 4;

    [Theory]
    [InlineData("smptebars")]
    [InlineData("rgbtestsrc")]
    public async Task Push_StillPictureWithBuiltinEmbeddings_FlagsNothing(string source)
    {
        var (provisional, finals) = await StreamAsync(ClipEmbeddings.Builtin, clips.StillPath(source));

        Assert.Empty(provisional);
        Assert.Empty(finals);
    }

    /// <summary>MobileNetV2 features move by up to 4 % of their squared norm at this clip's keyframes; a static picture must still be one scene.</summary>
    [SharedDataTheory(ClipEmbeddings.MobileNetWeights)]
    [InlineData("smptebars")]
    [InlineData("rgbtestsrc")]
    public async Task Push_StillPictureWithMobileNetEmbeddings_FlagsNothing(string source)
    {
        var (provisional, finals) = await StreamAsync(ClipEmbeddings.MobileNet, clips.StillPath(source));

        Assert.Empty(provisional);
        Assert.Empty(finals);
    }

    [Fact]
    public async Task Push_ThreeScenesWithBuiltinEmbeddings_FindsTheTwoCuts()
    {
        var (_, finals) = await StreamAsync(ClipEmbeddings.Builtin, clips.ThreeScenesPath);

        Assert.Collection(
            finals,
            cut => Assert.InRange(cut.TimeSeconds, LavfiSceneClips.SceneSeconds - 0.25, LavfiSceneClips.SceneSeconds + 0.25),
            cut => Assert.InRange(cut.TimeSeconds, (2 * LavfiSceneClips.SceneSeconds) - 0.25, (2 * LavfiSceneClips.SceneSeconds) + 0.25));
    }

    private static async Task<(List<SceneCut> Provisional, List<SceneCut> Finals)> StreamAsync(string modelSet, string path)
    {
        var (embeddings, dimension) = await ClipEmbeddings.EmbedAsync(modelSet, path, SampleFps, CancellationToken.None);
        var detector = SceneDetectors.CreateIncremental(new SceneDetectorOptions { FramesPerSecond = SampleFps }, dimension);
        var events = new List<SceneCutEvent>();
        for (var t = 0; t < embeddings.Length / dimension; t++)
        {
            events.AddRange(detector.Push(embeddings.AsSpan(t * dimension, dimension)));
        }

        events.AddRange(detector.Complete());
        Assert.True(embeddings.Length / dimension >= 20 * SampleFps);
        return (
            [.. events.Where(e => e.Kind == SceneCutEventKind.Provisional).Select(e => e.Cut)],
            [.. events.Where(e => e.Kind == SceneCutEventKind.Final).Select(e => e.Cut)]);
    }
}
