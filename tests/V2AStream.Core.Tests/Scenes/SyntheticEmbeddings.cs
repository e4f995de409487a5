namespace V2AStream.Core.Tests.Scenes;

/// <summary>
/// Shot-structured embedding sequences: each shot has its own random direction, every frame adds noise, and all frames
/// share a large common component, the way raw CLIP image embeddings do (cosine about 0.7 between shots).
/// </summary>
internal static class SyntheticEmbeddings
{
    /// <summary>Frames of shots whose first frames are <paramref name="cutFrames"/>, row-major [frames, dimension].</summary>
    public static float[] Shots(int frames, int dimension, IReadOnlyList<int> cutFrames, int seed, double noise = 0.15, bool normalize = false)
    {
        var random = new Random(seed);
        var common = RandomVector(random, dimension, 6.0);
        var shot = RandomVector(random, dimension, 4.0);
        var data = new float[frames * dimension];
        for (var t = 0; t < frames; t++)
        {
            if (cutFrames.Contains(t))
            {
                shot = RandomVector(random, dimension, 4.0);
            }

            var row = data.AsSpan(t * dimension, dimension);
            for (var d = 0; d < dimension; d++)
            {
                row[d] = (float)(common[d] + shot[d] + (noise * Gaussian(random) / Math.Sqrt(dimension) * 3));
            }

            if (normalize)
            {
                var norm = Math.Sqrt(row.ToArray().Sum(v => (double)v * v));
                for (var d = 0; d < dimension; d++)
                {
                    row[d] = (float)(row[d] / norm);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// One still picture as a codec delivers it: a fixed positive vector (pooled ReLU features are all positive), a small
    /// offset that changes at every group of pictures (each keyframe re-quantizes the picture; its squared size is
    /// <paramref name="flicker"/> of the picture's squared norm) and tiny per-frame noise.
    /// </summary>
    public static float[] StillPicture(int frames, int dimension, int seed, double flicker, int groupOfPictures = 12)
    {
        var random = new Random(seed);
        var picture = RandomVector(random, dimension, 1.0).Select(v => Math.Abs(v) * 10).ToArray();
        var pictureNorm = Math.Sqrt(picture.Sum(v => v * v));
        var offset = new double[dimension];
        var data = new float[frames * dimension];
        for (var t = 0; t < frames; t++)
        {
            if (t % groupOfPictures == 0)
            {
                offset = RandomVector(random, dimension, Math.Sqrt(flicker / 2) * pictureNorm);
            }

            var row = data.AsSpan(t * dimension, dimension);
            for (var d = 0; d < dimension; d++)
            {
                row[d] = (float)(picture[d] + offset[d] + (0.002 * pictureNorm * Gaussian(random) / Math.Sqrt(dimension)));
            }
        }

        return data;
    }

    /// <summary>Random first frames of shots, each at least <paramref name="minimumGap"/> frames after the previous one.</summary>
    public static int[] RandomCuts(Random random, int frames, int minimumGap, int maxCuts)
    {
        var cuts = new List<int>();
        var next = minimumGap + random.Next(minimumGap * 2);
        while (next < frames && cuts.Count < maxCuts)
        {
            cuts.Add(next);
            next += minimumGap + random.Next(minimumGap * 3);
        }

        return [.. cuts];
    }

    private static double[] RandomVector(Random random, int dimension, double norm)
    {
        var vector = new double[dimension];
        for (var d = 0; d < dimension; d++)
        {
            vector[d] = Gaussian(random);
        }

        var scale = norm / Math.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v * scale)];
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
