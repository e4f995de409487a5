using System.Text.Json;
using V2AStream.Core.Training;
using Xunit.Abstractions;

namespace V2AStream.Core.Tests.Training;

/// <summary>
/// The trainer against PyTorch 1.13 (tests/reference/make_training_reference.py): the same Table I MLP, initial
/// weights, data and batches, 50 AdamW steps at the default learning rate. "Relative" for a value of a tensor means
/// relative to that tensor's largest absolute value, since single weights pass through zero.
/// </summary>
public sealed class TrainingFidelityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void InitialWeights_AreThoseOfTheReferenceScript()
    {
        var weights = TrainingReference.InitialWeights();

        foreach (var (name, layer, isWeight) in TrainingReference.Tensors)
        {
            var values = (isWeight ? weights.Weight(layer) : weights.Bias(layer)).ToArray();
            var expected = TrainingReference.Root.GetProperty("initial").GetProperty(name);
            foreach (var (index, value) in Values(expected))
            {
                Assert.True((float)value == values[index], $"{name}[{index}]: {values[index]} vs {value}");
            }
        }
    }

    [Fact]
    public void Train_50Steps_MatchesPyTorchLossesAndWeightsTo1e5()
    {
        var options = TrainingReference.Options;
        var learner = new MlpLearner(TrainingReference.InitialWeights(), options, options.BatchSize);
        var inputs = TrainingReference.Inputs();
        var targets = TrainingReference.Targets();
        var batchInputs = new float[options.BatchSize * TrainingReference.Dim];
        var batchTargets = new float[options.BatchSize * TrainingReference.Dim];
        var expectedLosses = TrainingReference.Losses;
        var batches = TrainingReference.Batches;
        Assert.Equal(50, batches.Length);

        var worstLoss = 0.0;
        for (var step = 0; step < batches.Length; step++)
        {
            var rows = batches[step];
            for (var r = 0; r < rows.Length; r++)
            {
                inputs.AsSpan(rows[r] * TrainingReference.Dim, TrainingReference.Dim).CopyTo(batchInputs.AsSpan(r * TrainingReference.Dim));
                targets.AsSpan(rows[r] * TrainingReference.Dim, TrainingReference.Dim).CopyTo(batchTargets.AsSpan(r * TrainingReference.Dim));
            }

            var loss = learner.Step(batchInputs, batchTargets, rows.Length);
            var relative = Math.Abs(loss - expectedLosses[step]) / expectedLosses[step];
            worstLoss = Math.Max(worstLoss, relative);
            Assert.True(relative <= Tolerance, $"step {step + 1}: loss {loss:R} vs PyTorch {expectedLosses[step]:R} ({relative:E2} relative)");
        }

        var report = new List<string> { $"losses: worst {worstLoss:E2} relative ({expectedLosses[0]:G6} -> {expectedLosses[^1]:G6})" };
        foreach (var (name, layer, isWeight) in TrainingReference.Tensors)
        {
            var values = (isWeight ? learner.Weights.Weight(layer) : learner.Weights.Bias(layer)).ToArray();
            var expected = TrainingReference.Root.GetProperty("trained").GetProperty(name);
            var scale = expected.GetProperty("max_abs").GetDouble();
            var worst = 0.0;
            foreach (var (index, value) in Values(expected))
            {
                var error = Math.Abs(values[index] - value) / scale;
                worst = Math.Max(worst, error);
                Assert.True(error <= Tolerance, $"{name}[{index}]: {values[index]:R} vs PyTorch {value:R} ({error:E2} of the tensor's largest value {scale:G4})");
            }

            var sumAbs = values.Sum(v => Math.Abs((double)v));
            var expectedSumAbs = expected.GetProperty("sum_abs").GetDouble();
            Assert.True(Math.Abs(sumAbs - expectedSumAbs) <= Tolerance * expectedSumAbs, $"{name}: sum of |w| {sumAbs:R} vs PyTorch {expectedSumAbs:R}");
            var sum = values.Sum(v => (double)v);
            Assert.True(Math.Abs(sum - expected.GetProperty("sum").GetDouble()) <= Tolerance * expectedSumAbs, $"{name}: sum {sum:R} vs PyTorch {expected.GetProperty("sum").GetDouble():R}");

            var worstRow = 0.0;
            if (expected.GetProperty("row_sums") is { ValueKind: JsonValueKind.Array } rowSums)
            {
                // A row sum is compared on the scale of a row's sum of absolute values.
                var columns = values.Length / rowSums.GetArrayLength();
                var rowScale = expectedSumAbs / rowSums.GetArrayLength();
                var row = 0;
                foreach (var expectedRow in rowSums.EnumerateArray().Select(v => v.GetDouble()))
                {
                    var actualRow = values.AsSpan(row * columns, columns).ToArray().Sum(v => (double)v);
                    var error = Math.Abs(actualRow - expectedRow) / rowScale;
                    worstRow = Math.Max(worstRow, error);
                    Assert.True(error <= Tolerance, $"{name} row {row}: sum {actualRow:R} vs PyTorch {expectedRow:R}");
                    row++;
                }
            }

            report.Add($"{name}: worst value {worst:E2} of max |w|, worst row sum {worstRow:E2}, sum |w| {Math.Abs(sumAbs - expectedSumAbs) / expectedSumAbs:E2} relative");
        }

        foreach (var line in report)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>The (flat index, value) pairs a tensor's entry lists: its slices and its samples.</summary>
    private static IEnumerable<(int Index, double Value)> Values(JsonElement tensor)
    {
        foreach (var slice in tensor.GetProperty("slices").EnumerateObject())
        {
            var start = int.Parse(slice.Name, System.Globalization.CultureInfo.InvariantCulture);
            var offset = 0;
            foreach (var value in slice.Value.EnumerateArray())
            {
                yield return (start + offset++, value.GetDouble());
            }
        }

        var samples = tensor.GetProperty("samples");
        foreach (var (index, value) in samples.GetProperty("indices").EnumerateArray().Zip(samples.GetProperty("values").EnumerateArray()))
        {
            yield return (index.GetInt32(), value.GetDouble());
        }
    }
}
