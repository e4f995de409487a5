namespace V2AStream.Core.Training;

/// <summary>
/// One optimization step of the Table I MLP, as a PyTorch loop does it: <c>optimizer.zero_grad();
/// loss = mse(model(x), t); loss.backward(); optimizer.step()</c>. Owns the weights it trains.
/// </summary>
internal sealed class MlpLearner
{
    private readonly MlpNetwork _network;
    private readonly AdamW _optimizer;
    private readonly MlpWeights _gradients = new();

    /// <param name="weights">The initial weights, trained in place.</param>
    /// <param name="maxRows">The largest batch that <see cref="Step"/> will be given; <see cref="Predict"/> batches by it.</param>
    public MlpLearner(MlpWeights weights, TrainingOptions options, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        Weights = weights;
        _network = new MlpNetwork(maxRows, options.Threads);
        _network.Load(weights);
        _optimizer = new AdamW(weights.Values.Length, options);
    }

    public MlpWeights Weights { get; }

    public int MaxRows => _network.MaxRows;

    /// <summary>Trains on one batch (inputs and targets [rows, 512]); returns the batch's loss before the update.</summary>
    public double Step(ReadOnlyMemory<float> inputs, ReadOnlyMemory<float> targets, int rows)
    {
        var loss = _network.Backward(inputs, targets, rows, _gradients);
        _optimizer.Step(Weights.Values, _gradients.Values);
        return loss;
    }

    /// <summary>The current weights' output [rows, 512] for any number of input rows.</summary>
    public float[] Predict(ReadOnlyMemory<float> inputs, int rows) => _network.Predict(inputs, rows);
}
