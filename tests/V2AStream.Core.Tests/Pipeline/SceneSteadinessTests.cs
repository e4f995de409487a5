using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;
using V2AStream.Core.Tests.Models;
using V2AStream.Testing.Audio;

namespace V2AStream.Core.Tests.Pipeline;

/// <summary>
/// Issue 17, item 8: within a scene the sound changes no more at a block boundary than inside a block, and a cut still
/// changes it clearly, on smooth moving shots (testsrc2, then a Mandelbrot zoom: the shots where every 2.5 s block used
/// to change the sound's character), in both modes. The measure is bench/Steadiness's (<see cref="SpectralSteadiness"/>).
/// </summary>
public sealed class SceneSteadinessTests : IClassFixture<SmoothShotsClip>
{
    private readonly SmoothShotsClip _clip;

    public SceneSteadinessTests(SmoothShotsClip clip) => _clip = clip;

    [Theory]
    [InlineData(GenerationMode.Live)]
    [InlineData(GenerationMode.Quality)]
    public async Task RunAsync_SmoothShots_SteadyWithinScenesAndClearAtTheCut(GenerationMode mode)
    {
        await using var set = await BuiltinSet.LoadAsync();
        var pipeline = new StreamPipeline(set, new PipelineOptions { Mode = mode });
        var audio = new List<float>();
        var cuts = new List<double>();

        await foreach (var item in pipeline.RunAsync(MediaSource.FromFile(_clip.Path)))
        {
            if (item is AudioChunkReady chunk)
            {
                audio.AddRange(chunk.Samples);
            }
            else if (item is SceneUpdate { SceneIndex: > 0 } scene)
            {
                cuts.Add(scene.StartSeconds);
            }
        }

        var figures = SpectralSteadiness.Measure(audio.ToArray(), 16000, cuts);

        Assert.Equal(SmoothShotsClip.ShotSeconds, Assert.Single(cuts), 0.26);
        Assert.Equal(6, figures.BlockBoundaries);
        Assert.True(figures.BoundaryRatio <= 1.2, $"block boundaries {figures.AtBlockBoundaries:F3} against inside {figures.InsideBlocks:F3}: {figures.BoundaryRatio:F2} > 1.2");
        Assert.True(figures.CutRatio >= 2, $"the cut {figures.AtCuts:F3} against inside {figures.InsideBlocks:F3}: {figures.CutRatio:F2} < 2");
    }
}
