using V2AStream.Core.Embedding;
using V2AStream.Core.Training;

namespace V2AStream.Core.Tests.Training;

public sealed class SegmentAudioTargetsTests
{
    [Fact]
    public void RepeatPad_ShortClip_RepeatsWholeTimesThenZeros()
    {
        var window = new float[10];

        SegmentAudioTargets.RepeatPad([1f, 2f, 3f], window);

        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f, 1f, 2f, 3f, 0f], window);
    }

    [Fact]
    public async Task Complete_LongSegment_AveragesFullWindowsAndTheRepeatPaddedRestByTheirSamples()
    {
        using var embedder = new RecordingEmbedder();
        var targets = new SegmentAudioTargets(embedder, [(0L, 25L)]);

        // In chunks that do not line up with the windows.
        var samples = Enumerable.Range(0, 30).Select(i => (float)i).ToArray();
        for (var start = 0; start < samples.Length; start += 7)
        {
            await targets.AddAsync(samples.AsMemory(start, Math.Min(7, samples.Length - start)), CancellationToken.None);
        }

        var rows = await targets.CompleteAsync(CancellationToken.None);

        Assert.Equal(
            [
                [0f, 1, 2, 3, 4, 5, 6, 7, 8, 9],
                [10f, 11, 12, 13, 14, 15, 16, 17, 18, 19],
                [20f, 21, 22, 23, 24, 20, 21, 22, 23, 24],
            ],
            embedder.Windows);

        // Weights 10, 10 and 5 on [1, 0], [0, 1], [0, 1]: (10, 15) / |(10, 15)|.
        var row = Assert.Single(rows);
        Assert.Equal(0.5547002f, row[0], 6);
        Assert.Equal(0.8320503f, row[1], 6);
    }

    [Fact]
    public async Task Complete_GapsAndAudioThatEndsEarly_SkipsTheGapsAndFillsTheEndWithSilence()
    {
        using var embedder = new RecordingEmbedder();
        var targets = new SegmentAudioTargets(embedder, [(2L, 5L), (8L, 12L)]);

        await targets.AddAsync(Enumerable.Range(1, 9).Select(i => (float)i).ToArray(), CancellationToken.None);
        var rows = await targets.CompleteAsync(CancellationToken.None);

        Assert.Equal(
            [
                [3f, 4, 5, 3, 4, 5, 3, 4, 5, 0],
                [9f, 0, 0, 0, 9, 0, 0, 0, 0, 0],
            ],
            embedder.Windows);
        Assert.Equal(2, rows.Length);
        Assert.Equal([1f, 0f], rows[0]);
        Assert.Equal([0f, 1f], rows[1]);
    }

    /// <summary>Windows of 10 samples, two per run; the first window it ever sees embeds as (1, 0), every later one as (0, 1).</summary>
    private sealed class RecordingEmbedder : IAudioEmbedder
    {
        public List<float[]> Windows { get; } = [];

        public string Name => "recording";

        public int SampleRate => 10;

        public int WindowSamples => 10;

        public int Dim => 2;

        public int MaxBatchSize => 2;

        public Task EmbedAsync(ReadOnlyMemory<float> windows, Memory<float> embeddings, CancellationToken cancellationToken)
        {
            for (var i = 0; i < windows.Length / WindowSamples; i++)
            {
                embeddings.Span[(i * Dim) + (Windows.Count == 0 ? 0 : 1)] = 1f;
                Windows.Add(windows.Slice(i * WindowSamples, WindowSamples).ToArray());
            }

            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
