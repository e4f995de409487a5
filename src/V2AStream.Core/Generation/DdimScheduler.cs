namespace V2AStream.Core.Generation;

/// <summary>
/// DDIM sampling (Song et al. 2021) configured as AudioLDM's diffusers pipeline uses it: 1000 training
/// steps, "scaled_linear" betas = linspace(√0.0015, √0.0195, 1000)², "leading" timestep spacing with
/// steps_offset 1 (25 steps: 961, 921, ..., 41, 1), set_alpha_to_one false (the last step's previous
/// ᾱ is ᾱ[0]), eta 0, epsilon prediction, no sample clipping. Coefficients are computed in double
/// (diffusers computes ᾱ in float32; the two differ by under 1e-4 relative). Immutable; thread-safe.
/// </summary>
internal sealed class DdimScheduler
{
    public const int TrainSteps = 1000;
    public const double BetaStart = 0.0015;
    public const double BetaEnd = 0.0195;
    public const int StepsOffset = 1;

    /// <summary>
    /// The most sampling steps: with "leading" spacing and steps_offset 1, n steps start at timestep (n - 1)·(1000 / n) + 1,
    /// which is 1000, past the last trained timestep (999), for n = 1000.
    /// </summary>
    public const int MaxSteps = TrainSteps - 1;

    private readonly double[] _alphasCumprod;
    private readonly int[] _timesteps;

    public DdimScheduler(int inferenceSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inferenceSteps, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inferenceSteps, MaxSteps);
        _alphasCumprod = new double[TrainSteps];
        var product = 1.0;
        var from = Math.Sqrt(BetaStart);
        var to = Math.Sqrt(BetaEnd);
        for (var i = 0; i < TrainSteps; i++)
        {
            // torch.linspace(start, end, n): start + i·(end-start)/(n-1).
            var root = from + ((to - from) * i / (TrainSteps - 1));
            product *= 1.0 - (root * root);
            _alphasCumprod[i] = product;
        }

        // diffusers DDIMScheduler.set_timesteps, timestep_spacing="leading".
        StepRatio = TrainSteps / inferenceSteps;
        _timesteps = new int[inferenceSteps];
        for (var i = 0; i < inferenceSteps; i++)
        {
            _timesteps[i] = ((inferenceSteps - 1 - i) * StepRatio) + StepsOffset;
        }
    }

    /// <summary>Training steps between two sampling steps.</summary>
    public int StepRatio { get; }

    /// <summary>The timesteps in sampling order (descending).</summary>
    public IReadOnlyList<int> Timesteps => _timesteps;

    /// <summary>ᾱ_t = Π_{s≤t} (1 - β_s).</summary>
    public double AlphaCumprod(int timestep) => _alphasCumprod[timestep];

    /// <summary>
    /// One DDIM step (eta 0), x0 = (x_t - √(1-ᾱ_t)·ε)/√ᾱ_t, x_prev = √ᾱ_prev·x0 + √(1-ᾱ_prev)·ε, folded into
    /// x_prev = a·x_t + b·ε: the step's a and b (<see cref="SamplingGraphs.Step"/> applies them on the model's device).
    /// </summary>
    public (double A, double B) Coefficients(int stepIndex)
    {
        var t = _timesteps[stepIndex];
        var previous = t - StepRatio;
        var alpha = _alphasCumprod[t];
        var alphaPrevious = previous >= 0 ? _alphasCumprod[previous] : _alphasCumprod[0];
        var a = Math.Sqrt(alphaPrevious / alpha);
        var b = Math.Sqrt(1 - alphaPrevious) - (Math.Sqrt(alphaPrevious) * Math.Sqrt(1 - alpha) / Math.Sqrt(alpha));
        return (a, b);
    }
}
