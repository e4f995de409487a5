using System.Collections.Concurrent;
using V2AStream.Core.Scenes;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Scenes;

/// <summary>
/// The robust detector on real footage with known cuts (../shared/data/cuts, matched one-to-one within cuts.json's
/// tolerance, detections inside gradual transitions ignored), on the project's own embeddings: the builtin pixel
/// embedder and MobileNetV2, through <see cref="V2AStream.Core.Media.FrameReader"/> at the pipeline's 4 fps. ffmpeg's fps
/// filter may put a cut's first sampled frame up to half a sample period (0.125 s) away from the cut, inside the 0.25 s
/// tolerance.
/// </summary>
public sealed class RealClipSceneTests
{
    private const double SampleFps = 4;

    /// <summary>Each clip is decoded and embedded once per model set for all the tests that use it.</summary>
    private static readonly ConcurrentDictionary<(string ModelSet, string File), Task<(float[] Embeddings, int Dimension)>> EmbeddingsOf = new();

    /// <summary>Every clip on MobileNetV2 features, and every clip but issue-195 on pixel features (see below).</summary>
    public static TheoryData<string> BuiltinClips => new()
    {
        "issue-134-rotate.mp4",
        "goldeneye-vfr-drop3.mp4",
        "testvideo.mp4",
    };

    public static TheoryData<string> MobileNetClips => new()
    {
        "issue-134-rotate.mp4",
        "goldeneye-vfr-drop3.mp4",
        "testvideo.mp4",
        "issue-195-aspect-ratio.mp4",
    };

    [SharedDataTheory("cuts/cuts.json")]
    [MemberData(nameof(BuiltinClips))]
    public async Task Detect_RealClipWithBuiltinEmbeddings_FindsEveryHardCutAndNoFalseCut(string file)
    {
        var (hits, missed, falseCuts, clip) = await DetectAndMatchAsync(ClipEmbeddings.Builtin, file);

        Assert.True(
            missed.Count == 0 && falseCuts.Count == 0,
            $"builtin on {file}: {hits} of {clip.CutsSeconds.Count} cuts found (missed {string.Join(", ", missed)} s), false cuts at {string.Join(", ", falseCuts.Select(t => t.ToString("F3")))} s");
    }

    [SharedDataTheory("cuts/cuts.json", ClipEmbeddings.MobileNetWeights)]
    [MemberData(nameof(MobileNetClips))]
    public async Task Detect_RealClipWithMobileNetEmbeddings_FindsEveryHardCutAndNoFalseCut(string file)
    {
        var (hits, missed, falseCuts, clip) = await DetectAndMatchAsync(ClipEmbeddings.MobileNet, file);

        Assert.True(
            missed.Count == 0 && falseCuts.Count == 0,
            $"mobilenet on {file}: {hits} of {clip.CutsSeconds.Count} cuts found (missed {string.Join(", ", missed)} s), false cuts at {string.Join(", ", falseCuts.Select(t => t.ToString("F3")))} s");
    }

    /// <summary>
    /// A known limit of the pixel embedder, asserted exactly so that a change either way is seen. At 18.4-18.6 s of
    /// issue-195 a hand leaves the frame in one sample step: to 64x64 pixel features that is a change of 0.56 of the
    /// squared norm (score 0.86), larger than the true cut at 16.84 s (0.41); MobileNetV2 features score it 0.22, under the
    /// threshold. With 2 frames of
    /// lookahead it is final before the true cut at 19.36 s (change 0.85) arrives, and the 1 s minimum scene length then
    /// drops that cut. MobileNetV2 gets all five cuts and no false one (the test above).
    /// </summary>
    [SharedDataFact("cuts/cuts.json")]
    public async Task Detect_Issue195WithBuiltinEmbeddings_TakesTheHandLeavingTheFrameForTheCutAfterIt()
    {
        var (hits, missed, falseCuts, _) = await DetectAndMatchAsync(ClipEmbeddings.Builtin, "issue-195-aspect-ratio.mp4");

        Assert.Equal(4, hits);
        Assert.Equal([19.36], missed);
        Assert.Equal([18.5], falseCuts);
    }

    [SharedDataFact("cuts/cuts.json")]
    public async Task Push_RealClipLongerThanWindow_SameCutsAsOffline()
    {
        const string file = "issue-195-aspect-ratio.mp4";
        var (embeddings, dimension) = await EmbedAsync(ClipEmbeddings.Builtin, file);
        var options = new SceneDetectorOptions { FramesPerSecond = SampleFps };
        var detector = SceneDetectors.CreateIncremental(options, dimension);
        var finals = new List<SceneCut>();

        for (var t = 0; t < embeddings.Length / dimension; t++)
        {
            finals.AddRange(detector.Push(embeddings.AsSpan(t * dimension, dimension)).Where(e => e.Kind == SceneCutEventKind.Final).Select(e => e.Cut));
        }

        finals.AddRange(detector.Complete().Where(e => e.Kind == SceneCutEventKind.Final).Select(e => e.Cut));
        var offline = SceneDetectors.Create(options).Detect(embeddings, dimension);

        Assert.True(embeddings.Length / dimension > options.WindowFrames);
        Assert.NotEmpty(finals);
        Assert.Equal(offline.Cuts.Select(c => c.Frame), finals.Select(c => c.Frame));
    }

    private static Task<(float[] Embeddings, int Dimension)> EmbedAsync(string modelSet, string file) =>
        EmbeddingsOf.GetOrAdd((modelSet, file), key => ClipEmbeddings.EmbedAsync(key.ModelSet, RepositoryPaths.SharedData($"cuts/{key.File}")!, SampleFps, CancellationToken.None));

    private static async Task<(int Hits, IReadOnlyList<double> Missed, IReadOnlyList<double> False, CutsCatalog.Clip Clip)> DetectAndMatchAsync(string modelSet, string file)
    {
        var catalog = CutsCatalog.Load();
        var clip = catalog[file];
        var (embeddings, dimension) = await EmbedAsync(modelSet, file);

        var result = SceneDetectors.Create(new SceneDetectorOptions { FramesPerSecond = SampleFps }).Detect(embeddings, dimension);

        var (hits, missed, falseCuts) = catalog.Match(clip, result.Cuts.Select(c => c.TimeSeconds), SampleFps);
        return (hits, missed, falseCuts, clip);
    }
}
