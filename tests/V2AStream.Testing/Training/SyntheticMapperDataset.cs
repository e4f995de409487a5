using V2AStream.Core.Embedding;
using V2AStream.Core.Training;

namespace V2AStream.Testing.Training;

/// <summary>
/// Mapper datasets with a relation to learn: CLIP-like inputs (Gaussian, about ±0.45 per value, 512-d) and unit CLAP-like
/// targets made from them (a fixed permutation of the input's values plus Gaussian noise), segments spread over videos.
/// </summary>
public static class SyntheticMapperDataset
{
    public const int Dim = 512;

    /// <param name="pairs">Rows.</param>
    /// <param name="videos">Distinct video names; row n belongs to video n mod videos.</param>
    /// <param name="seed">Seeds the inputs and the noise; the permutation is the same for every seed.</param>
    /// <param name="noise">Standard deviation of the noise added to the permuted input.</param>
    public static MapperDataset Create(int pairs, int videos, int seed, double noise = 0.3)
    {
        var permutation = Enumerable.Range(0, Dim).ToArray();
        new Random(12345).Shuffle(permutation);
        var random = new Random(seed);
        var clip = new float[pairs * Dim];
        var clap = new float[pairs * Dim];
        for (var n = 0; n < pairs; n++)
        {
            for (var j = 0; j < Dim; j++)
            {
                clip[(n * Dim) + j] = (float)(Gaussian(random) * 0.45);
            }

            var norm = 0.0;
            for (var j = 0; j < Dim; j++)
            {
                var value = clip[(n * Dim) + permutation[j]] + (noise * Gaussian(random));
                clap[(n * Dim) + j] = (float)value;
                norm += value * value;
            }

            for (var j = 0; j < Dim; j++)
            {
                clap[(n * Dim) + j] = (float)(clap[(n * Dim) + j] / Math.Sqrt(norm));
            }
        }

        var segments = Enumerable.Range(0, pairs)
            .Select(n => new DatasetSegment($"video{n % videos:D3}.mp4", n / videos * 2.5, (n / videos * 2.5) + 2.5, n / videos))
            .ToArray();
        return new MapperDataset(new NpyArray(pairs, Dim, clip), new NpyArray(pairs, Dim, clap), new DatasetDescription { ModelSet = "synthetic", Fps = 4, Segments = segments });
    }

    /// <summary>Creates a dataset and writes it into <paramref name="directory"/>; returns the folder.</summary>
    public static async Task<string> WriteAsync(string directory, int pairs, int videos, int seed)
    {
        await Create(pairs, videos, seed).WriteAsync(directory, CancellationToken.None);
        return directory;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
