using System.Numerics.Tensors;

namespace V2AStream.Core.Scenes;

/// <summary>
/// The V2A-SceneDetector seed formula as published: S = X X^T on the raw embeddings, S_c = S - column means - row means,
/// dS_i = sum_j |S_c[i,j] - S_c[i+1,j]|, peaks where dS_i &gt; tau * std(dS) (population std). The one correction: dS_i
/// compares frames i and i+1, so the new scene starts at p+1 (the paper's scenes start at p). Its known flaws are kept
/// on purpose (reference/scene-detection.md): every frame of a cut-free window can pass, and neighbouring peaks give
/// one-frame scenes. Offline, O(T^2 D) time and O(T D) memory (S is computed twice by rows, never stored).
/// A cut's score is the raw dS_p.
/// </summary>
internal sealed class PaperSceneDetector : ISceneDetector
{
    private readonly SceneDetectorOptions _options;

    public PaperSceneDetector(SceneDetectorOptions options)
    {
        options.Validate();
        _options = options;
    }

    public SceneDetectionResult Detect(ReadOnlySpan<float> embeddings, int dimension)
    {
        var frames = EmbeddingInput.CountFrames(embeddings, dimension);
        var rows = new AlignedRows(frames, dimension);
        for (var t = 0; t < frames; t++)
        {
            var embedding = embeddings.Slice(t * dimension, dimension);
            EmbeddingInput.RequireFinite(embedding, t);
            embedding.CopyTo(rows[t]);
        }

        if (frames < 2)
        {
            return SceneDetectionResult.FromCuts(frames, _options.FramesPerSecond, []);
        }

        // S is symmetric (a float dot product is commutative term by term), so column means equal row means.
        var means = new double[frames];
        var row = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            FillGramRow(rows, i, row);
            double sum = 0;
            foreach (var value in row)
            {
                sum += value;
            }

            means[i] = sum / frames;
        }

        var differences = new double[frames - 1];
        var next = new float[frames];
        FillGramRow(rows, 0, row);
        for (var i = 0; i < frames - 1; i++)
        {
            FillGramRow(rows, i + 1, next);
            double sum = 0;
            for (var j = 0; j < frames; j++)
            {
                var centred = row[j] - means[j] - means[i];
                var centredNext = next[j] - means[j] - means[i + 1];
                sum += Math.Abs(centred - centredNext);
            }

            differences[i] = sum;
            (row, next) = (next, row);
        }

        var threshold = _options.Tau * PopulationStandardDeviation(differences);
        var cuts = new List<SceneCut>();
        var boundaries = new BoundaryScore[differences.Length];
        for (var i = 0; i < differences.Length; i++)
        {
            var isCut = differences[i] > threshold;
            if (isCut)
            {
                cuts.Add(new SceneCut(i + 1, (i + 1) / _options.FramesPerSecond, differences[i]));
            }

            boundaries[i] = new BoundaryScore(i + 1, (i + 1) / _options.FramesPerSecond, differences[i], threshold, null, null, null, isCut);
        }

        return SceneDetectionResult.FromCuts(frames, _options.FramesPerSecond, cuts) with { Boundaries = boundaries };
    }

    private static void FillGramRow(AlignedRows rows, int i, float[] row)
    {
        var embedding = rows[i];
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = TensorPrimitives.Dot(embedding, rows[j]);
        }
    }

    private static double PopulationStandardDeviation(double[] values)
    {
        double mean = 0;
        foreach (var value in values)
        {
            mean += value;
        }

        mean /= values.Length;
        double squares = 0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        return Math.Sqrt(squares / values.Length);
    }
}
