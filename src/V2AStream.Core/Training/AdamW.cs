using System.Runtime.Intrinsics;

namespace V2AStream.Core.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter, decoupled weight decay) exactly as PyTorch's torch.optim.AdamW steps one tensor
/// (_single_tensor_adamw, amsgrad off): w ← w·(1 − lr·λ); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
/// w ← w − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε). The step's scalars are computed in double and applied
/// in float32, as PyTorch does. Holds the moments of one parameter buffer; not thread-safe.
/// </summary>
internal sealed class AdamW
{
    private const int ParallelChunk = 1 << 16;

    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private readonly TrainingOptions _options;

    public AdamW(int parameterCount, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
        _options = options;
    }

    /// <summary>Steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> of the same length.</summary>
    public void Step(float[] parameters, float[] gradients)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Length != _firstMoment.Length || gradients.Length != _firstMoment.Length)
        {
            throw new ArgumentException($"AdamW holds moments for {_firstMoment.Length} parameters; got {parameters.Length} parameters and {gradients.Length} gradients.");
        }

        Steps++;
        var lr = _options.LearningRate;
        var beta1 = _options.Beta1;
        var beta2 = _options.Beta2;
        var scalars = new StepScalars(
            Decay: (float)(1 - (lr * _options.WeightDecay)),
            Beta1: (float)beta1,
            OneMinusBeta1: (float)(1 - beta1),
            Beta2: (float)beta2,
            OneMinusBeta2: (float)(1 - beta2),
            BiasCorrection2Sqrt: (float)Math.Sqrt(1 - Math.Pow(beta2, Steps)),
            Epsilon: (float)_options.Epsilon,
            NegativeStepSize: (float)(-lr / (1 - Math.Pow(beta1, Steps))));

        var chunks = (parameters.Length + ParallelChunk - 1) / ParallelChunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _options.Threads }, chunk =>
        {
            var start = chunk * ParallelChunk;
            var end = Math.Min(parameters.Length, start + ParallelChunk);
            Update(parameters, gradients, _firstMoment, _secondMoment, start, end, scalars);
        });
    }

    private static void Update(float[] w, float[] g, float[] m, float[] v, int start, int end, StepScalars s)
    {
        var i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            // The same operations in the same order as the scalar loop below, so both give the same bits.
            var decay = Vector256.Create(s.Decay);
            var beta1 = Vector256.Create(s.Beta1);
            var oneMinusBeta1 = Vector256.Create(s.OneMinusBeta1);
            var beta2 = Vector256.Create(s.Beta2);
            var oneMinusBeta2 = Vector256.Create(s.OneMinusBeta2);
            var correction = Vector256.Create(s.BiasCorrection2Sqrt);
            var epsilon = Vector256.Create(s.Epsilon);
            var stepSize = Vector256.Create(s.NegativeStepSize);
            for (; i + Vector256<float>.Count <= end; i += Vector256<float>.Count)
            {
                var gradient = Vector256.LoadUnsafe(ref g[i]);
                var parameter = Vector256.LoadUnsafe(ref w[i]) * decay;
                var first = (Vector256.LoadUnsafe(ref m[i]) * beta1) + (oneMinusBeta1 * gradient);
                var second = (Vector256.LoadUnsafe(ref v[i]) * beta2) + (oneMinusBeta2 * gradient * gradient);
                var denominator = (Vector256.Sqrt(second) / correction) + epsilon;
                first.StoreUnsafe(ref m[i]);
                second.StoreUnsafe(ref v[i]);
                (parameter + (stepSize * (first / denominator))).StoreUnsafe(ref w[i]);
            }
        }

        for (; i < end; i++)
        {
            var gradient = g[i];
            var parameter = w[i] * s.Decay;
            var first = (m[i] * s.Beta1) + (s.OneMinusBeta1 * gradient);
            var second = (v[i] * s.Beta2) + (s.OneMinusBeta2 * gradient * gradient);
            var denominator = (MathF.Sqrt(second) / s.BiasCorrection2Sqrt) + s.Epsilon;
            m[i] = first;
            v[i] = second;
            w[i] = parameter + (s.NegativeStepSize * (first / denominator));
        }
    }

    private readonly record struct StepScalars(
        float Decay,
        float Beta1,
        float OneMinusBeta1,
        float Beta2,
        float OneMinusBeta2,
        float BiasCorrection2Sqrt,
        float Epsilon,
        float NegativeStepSize);
}
