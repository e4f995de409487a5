using System.Numerics.Tensors;
using System.Text.Json;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Testing;
using Xunit.Abstractions;

namespace V2AStream.Core.Tests.Embedding;

public sealed class BuiltinPixelEmbedderTests(ITestOutputHelper output)
{
    private readonly BuiltinPixelEmbedder _embedder = new();

    [Fact]
    public async Task EmbedAsync_AnyFrame_IsUnitLengthAndDeterministic()
    {
        using var frame = NoiseFrame(seed: 1);

        var first = await _embedder.EmbedAsync([frame]);
        var second = await _embedder.EmbedAsync([frame]);

        Assert.Equal(512, first[0].Length);
        Assert.Equal(1.0, TensorPrimitives.Norm(first[0]), 4);
        Assert.Equal(first[0], second[0]);
    }

    [Fact]
    public async Task EmbedAsync_FlatGreyFrame_IsStillUnitLength()
    {
        using var frame = new VideoFrame(0, 0, 64, 64, Enumerable.Repeat((byte)128, 64 * 64 * 3).ToArray());

        var embedding = (await _embedder.EmbedAsync([frame]))[0];

        Assert.Equal(1.0, TensorPrimitives.Norm(embedding), 4);
        Assert.All(embedding, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public async Task EmbedAsync_WrongFrameSize_ThrowsSayingTheSizeNeeded()
    {
        using var frame = new VideoFrame(0, 0, 32, 32, new byte[32 * 32 * 3]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _embedder.EmbedAsync([frame]));

        Assert.Contains("64x64", error.Message, StringComparison.Ordinal);
    }

    [SharedDataFact("cuts/cuts.json")]
    public async Task EmbedAsync_CutsClips_WithinShotSimilarityIsClearlyHigherThanAcrossCuts()
    {
        using var cuts = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.SharedData("cuts/cuts.json")!));
        var reader = new FrameReader(new FrameReaderOptions { Geometry = _embedder.Geometry });
        var within = new List<float>();
        var across = new List<float>();
        foreach (var video in cuts.RootElement.GetProperty("videos").EnumerateArray())
        {
            var fps = 4.0;
            var cutTimes = video.GetProperty("cuts_s").EnumerateArray().Select(c => c.GetDouble()).ToArray();
            var nominalFps = video.GetProperty("fps").ValueKind == JsonValueKind.Number ? video.GetProperty("fps").GetDouble() : 24000 / 1001.0;
            var gradual = video.GetProperty("gradual").EnumerateArray()
                .Select(g => (Start: g[0].GetDouble() / nominalFps, End: g[1].GetDouble() / nominalFps)).ToArray();
            var embeddings = new List<float[]>();
            await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(RepositoryPaths.SharedData("cuts/" + video.GetProperty("file").GetString())!)))
            {
                using (frame)
                {
                    embeddings.Add((await _embedder.EmbedAsync([frame]))[0]);
                }
            }

            // A sample lands on either side of a cut, up to half a sample period from it (the fps filter rounds input
            // times to the nearest tick), so a cut's score is the lowest pair around it, and within-shot pairs are
            // those at least 0.4 s away from every cut.
            var similarities = Enumerable.Range(0, embeddings.Count - 1)
                .Select(k => TensorPrimitives.CosineSimilarity(embeddings[k], embeddings[k + 1])).ToArray();
            bool Near(int k, double margin, double t) => t > (k / fps) - margin && t <= ((k + 1) / fps) + margin;
            var clipAcross = cutTimes.Select(c => Enumerable.Range(0, similarities.Length).Where(k => Near(k, 0.2, c)).Min(k => similarities[k])).ToList();
            var clipWithin = Enumerable.Range(0, similarities.Length)
                .Where(k => !cutTimes.Any(c => Near(k, 0.4, c)) && !gradual.Any(g => ((k + 1) / fps) >= g.Start - 0.25 && (k / fps) <= g.End + 0.25))
                .Select(k => similarities[k]).ToList();

            output.WriteLine($"{video.GetProperty("file").GetString()}: within mean {clipWithin.Average():0.000} min {clipWithin.Min():0.000}; across {string.Join(", ", clipAcross.Select(a => a.ToString("0.000")))}");
            within.AddRange(clipWithin);
            across.AddRange(clipAcross);
        }

        Assert.NotEmpty(across);
        var meanWithin = within.Average();
        var maxAcross = across.Max();
        Assert.True(meanWithin > across.Average() + 0.2, $"within-shot mean {meanWithin:0.000} vs across-cut mean {across.Average():0.000}");
        Assert.True(maxAcross < meanWithin - 0.1, $"an across-cut pair scores {maxAcross:0.000}, close to the within-shot mean {meanWithin:0.000}");
    }

    private static VideoFrame NoiseFrame(int seed)
    {
        var pixels = new byte[64 * 64 * 3];
        new Random(seed).NextBytes(pixels);
        return new VideoFrame(0, 0, 64, 64, pixels);
    }
}
