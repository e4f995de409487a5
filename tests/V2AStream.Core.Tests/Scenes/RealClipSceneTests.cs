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

    public static TheoryData<string> Clips => new()
    {
        "issue-134-rotate.mp4",
        "goldeneye-vfr-drop3.mp4",
        "testvideo.mp4",
        "issue-195-aspect-ratio.mp4",
    };

    [SharedDataTheory("cuts/cuts.json")]
    [MemberData(nameof(Clips))]
    public async Task Detect_RealClipWithBuiltinEmbeddings_FindsEveryHardCutAndNoFalseCut(string file)
    {
        var (hits, missed, falseCuts, clip) = await DetectAndMatchAsync(ClipEmbeddings.Builtin, file);

        Assert.True(
            missed.Count == 0 && falseCuts.Count == 0,
            $"builtin on {file}: {hits} of {clip.CutsSeconds.Count} cuts found (missed {string.Join(", ", missed)} s), false cuts at {string.Join(", ", falseCuts.Select(t => t.ToString("F3")))} s");
    }

    [SharedDataTheory("cuts/cuts.json", ClipEmbeddings.MobileNetWeights)]
    [MemberData(nameof(Clips))]
    public async Task Detect_RealClipWithMobileNetEmbeddings_FindsEveryHardCutAndNoFalseCut(string file)
    {
        var (hits, missed, falseCuts, clip) = await DetectAndMatchAsync(ClipEmbeddings.MobileNet, file);

        Assert.True(
            missed.Count == 0 && falseCuts.Count == 0,
            $"mobilenet on {file}: {hits} of {clip.CutsSeconds.Count} cuts found (missed {string.Join(", ", missed)} s), false cuts at {string.Join(", ", falseCuts.Select(t => t.ToString("F3")))} s");
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
