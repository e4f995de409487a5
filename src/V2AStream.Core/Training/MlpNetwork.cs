using System.Numerics.Tensors;

namespace V2AStream.Core.Training;

/// <summary>
/// The forward pass of the Table I MLP over a batch of rows, and the backward pass of the mean squared error
/// against targets: what PyTorch's nn.Sequential(Linear, ReLU, Linear, Linear, Linear) with nn.MSELoss() computes,
/// in float32. The output is the MLP's own, before the L2 normalization the engine applies when it maps.
/// Activations are kept feature-major ([features, rows]) so that every product reads the weights as they are
/// stored, [out, in], and only batch-sized matrices are ever transposed.
/// Holds its buffers for batches of up to <see cref="MaxRows"/> rows; one instance per run, not thread-safe.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly int _threads;
    private readonly float[] _inputsByFeature;
    private readonly float[][] _activationsByFeature;
    private readonly float[] _output;
    private readonly float[] _layerInputByRow;
    private readonly float[] _gradientByFeature;
    private readonly float[] _gradientOut;
    private readonly float[] _gradientIn;
    private MlpWeights? _weights;

    /// <param name="maxRows">The largest batch that will be passed.</param>
    /// <param name="threads">Threads the matrix products may use.</param>
    public MlpNetwork(int maxRows, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        MaxRows = maxRows;
        _threads = Math.Max(1, threads);
        var layers = MlpWeights.LayerCount;
        _activationsByFeature = new float[layers][];
        var widest = 0;
        for (var layer = 0; layer < layers; layer++)
        {
            _activationsByFeature[layer] = new float[maxRows * MlpWeights.OutputsOf(layer)];
            widest = Math.Max(widest, Math.Max(MlpWeights.InputsOf(layer), MlpWeights.OutputsOf(layer)));
        }

        _inputsByFeature = new float[maxRows * InputDimension];
        _output = new float[maxRows * OutputDimension];
        _layerInputByRow = new float[maxRows * widest];
        _gradientByFeature = new float[maxRows * widest];
        _gradientOut = new float[maxRows * widest];
        _gradientIn = new float[maxRows * widest];
    }

    public int MaxRows { get; }

    public static int InputDimension => MlpWeights.InputsOf(0);

    public static int OutputDimension => MlpWeights.OutputsOf(MlpWeights.LayerCount - 1);

    /// <summary>Uses <paramref name="weights"/> (read in place, so later changes to them are seen).</summary>
    public void Load(MlpWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _weights = weights;
    }

    /// <summary>The MLP's output [rows, 512] for <paramref name="inputs"/> [rows, 512]; valid until the next call.</summary>
    public ReadOnlyMemory<float> Forward(ReadOnlyMemory<float> inputs, int rows)
    {
        var weights = _weights ?? throw new InvalidOperationException("Load weights before running the network.");
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxRows);
        MatrixMultiply.Transpose(inputs.Span, rows, InputDimension, _inputsByFeature);
        ReadOnlyMemory<float> layerInput = _inputsByFeature;
        for (var layer = 0; layer < MlpWeights.LayerCount; layer++)
        {
            var outputs = MlpWeights.OutputsOf(layer);
            var output = _activationsByFeature[layer].AsMemory(0, outputs * rows);

            // outputᵀ [out, rows] = W [out, in] · inputᵀ [in, rows], then + b along each feature's row.
            MatrixMultiply.Multiply(weights.Weight(layer), layerInput, output, outputs, MlpWeights.InputsOf(layer), rows, _threads);
            var bias = weights.Bias(layer).Span;
            var values = output.Span;
            for (var feature = 0; feature < outputs; feature++)
            {
                var slice = values.Slice(feature * rows, rows);
                TensorPrimitives.Add(slice, bias[feature], slice);
                if (layer == 0)
                {
                    TensorPrimitives.Max(slice, 0f, slice);
                }
            }

            layerInput = output;
        }

        MatrixMultiply.Transpose(layerInput.Span, OutputDimension, rows, _output);
        return _output.AsMemory(0, rows * OutputDimension);
    }

    /// <summary>The MLP's output [rows, 512] for any number of input rows, computed in batches of <see cref="MaxRows"/>.</summary>
    public float[] Predict(ReadOnlyMemory<float> inputs, int rows)
    {
        var outputs = new float[rows * OutputDimension];
        for (var first = 0; first < rows; first += MaxRows)
        {
            var count = Math.Min(MaxRows, rows - first);
            Forward(inputs.Slice(first * InputDimension, count * InputDimension), count).CopyTo(outputs.AsMemory(first * OutputDimension));
        }

        return outputs;
    }

    /// <summary>
    /// Runs the batch forward, then writes d(loss)/d(parameter) into <paramref name="gradients"/> (overwriting it);
    /// returns the loss, the mean of (output - target)² over all rows · 512 values.
    /// </summary>
    public double Backward(ReadOnlyMemory<float> inputs, ReadOnlyMemory<float> targets, int rows, MlpWeights gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        var output = Forward(inputs, rows).Span;
        var weights = _weights!;
        var count = rows * OutputDimension;

        // nn.MSELoss (mean): loss = Σ(y - t)² / count, dloss/dy = 2 (y - t) / count.
        var gradientOut = _gradientOut.AsSpan(0, count);
        TensorPrimitives.Subtract(output, targets.Span[..count], gradientOut);
        var loss = 0.0;
        foreach (var difference in gradientOut)
        {
            loss += (double)difference * difference;
        }

        TensorPrimitives.Multiply(gradientOut, (float)(2.0 / count), gradientOut);

        var current = _gradientOut;
        var next = _gradientIn;
        for (var layer = MlpWeights.LayerCount - 1; layer >= 0; layer--)
        {
            var inputsOfLayer = MlpWeights.InputsOf(layer);
            var outputs = MlpWeights.OutputsOf(layer);
            ReadOnlyMemory<float> layerInput = inputs;
            if (layer > 0)
            {
                MatrixMultiply.Transpose(_activationsByFeature[layer - 1].AsSpan(0, inputsOfLayer * rows), inputsOfLayer, rows, _layerInputByRow);
                layerInput = _layerInputByRow;
            }

            // dW [out, in] = dOutᵀ [out, rows] · input [rows, in]; db = Σ over rows of dOut.
            MatrixMultiply.Transpose(current.AsSpan(0, rows * outputs), rows, outputs, _gradientByFeature);
            MatrixMultiply.Multiply(_gradientByFeature, layerInput, gradients.Weight(layer), outputs, rows, inputsOfLayer, _threads);
            var biasGradient = gradients.Bias(layer).Span;
            biasGradient.Clear();
            for (var row = 0; row < rows; row++)
            {
                TensorPrimitives.Add(biasGradient, current.AsSpan(row * outputs, outputs), biasGradient);
            }

            if (layer == 0)
            {
                break;
            }

            // dInput [rows, in] = dOut [rows, out] · W [out, in]; through the ReLU after layer 0 only where its output was positive.
            MatrixMultiply.Multiply(current, weights.Weight(layer), next, rows, outputs, inputsOfLayer, _threads);
            if (layer == 1)
            {
                var relu = _layerInputByRow.AsSpan(0, rows * inputsOfLayer);
                var gradient = next.AsSpan(0, rows * inputsOfLayer);
                for (var i = 0; i < gradient.Length; i++)
                {
                    if (relu[i] <= 0f)
                    {
                        gradient[i] = 0f;
                    }
                }
            }

            (current, next) = (next, current);
        }

        return loss / count;
    }
}
