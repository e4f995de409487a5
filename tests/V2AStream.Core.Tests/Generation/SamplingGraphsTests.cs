using Microsoft.ML.OnnxRuntime;
using V2AStream.Core.Generation;
using V2AStream.Onnx;
using V2AStream.Testing;

namespace V2AStream.Core.Tests.Generation;

/// <summary>The sampling loop's arithmetic as the generator runs it: ONNX graphs, through IOBinding on the session's device (the CPU here).</summary>
[Collection(OrtCollection.Name)]
public sealed class SamplingGraphsTests(OrtSessionsFixture ort)
{
    [Fact]
    public void Step_FullTrajectoryWithGuidance_MatchesNumPy()
    {
        // tests/reference/ddim_reference.json, made independently by make_ddim_reference.py: 25 DDIM steps with
        // ε = ε_u + g·(ε_c - ε_u), ε_u = 0.5·x + 0.1·sin(j + step), ε_c = 0.4·x + 0.1·cos(j - step).
        var reference = DdimSchedulerTests.Reference;
        var scheduler = new DdimScheduler(25);
        var guidance = reference.GetProperty("guidance").GetSingle();
        var trajectory = reference.GetProperty("trajectory").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        // The reference's 24 values lead a latent of the graph's shape [1, 8, 1, 16]; the rest are zeros, not checked.
        const int n = 8 * 16;
        var count = trajectory[0].Length;
        using var graph = ort.Sessions.Open(SamplingGraphs.Step(guidance), "step");
        var x = new float[n];
        trajectory[0].CopyTo(x, 0);

        for (var step = 0; step < 25; step++)
        {
            var prediction = new float[2 * n];
            for (var j = 0; j < n; j++)
            {
                prediction[j] = (float)((0.5 * x[j]) + (0.1 * Math.Sin(j + step)));
                prediction[n + j] = (float)((0.4 * x[j]) + (0.1 * Math.Cos(j - step)));
            }

            var (a, b) = scheduler.Coefficients(step);
            var next = new float[2 * n];
            using (var binding = graph.Session.CreateIoBinding())
            using (var sample = OrtValue.CreateTensorValueFromMemory<float>([.. x, .. x], [2, 8, 1, 16]))
            using (var noise = OrtValue.CreateTensorValueFromMemory(prediction, [2, 8, 1, 16]))
            using (var coefficients = OrtValue.CreateTensorValueFromMemory(new[] { (float)a, (float)b }, [2]))
            using (var output = OrtValue.CreateTensorValueFromMemory(next, [2, 8, 1, 16]))
            {
                binding.BindInput(SamplingGraphs.SampleName, sample);
                binding.BindInput(SamplingGraphs.NoisePredictionName, noise);
                binding.BindInput(SamplingGraphs.CoefficientsName, coefficients);
                binding.BindOutput(SamplingGraphs.NextSampleName, output);
                graph.Run(binding, CancellationToken.None);
            }

            Assert.Equal(next[..n], next[n..]);
            x = next[..n];
            for (var j = 0; j < count; j++)
            {
                var expected = trajectory[step + 1][j];
                Assert.True(Math.Abs(x[j] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"step {step}, element {j}: {x[j]} vs {expected}");
            }
        }
    }

    [Theory]
    [InlineData(99f, 99f)]
    [InlineData(150f, 10f)]
    public void DecoderInput_LatentsOfTheFirstHalf_ClippedOnlyPastAHundredThenScaled(float peak, float clippedPeak)
    {
        // Two blocks: the first half of the guidance batch holds the latents; the copy in the second half is ignored.
        const float scaling = 0.5f;
        var size = 8 * 1 * 16;
        var sample = new float[4 * size];
        sample[0] = peak;
        sample[1] = -12f;
        sample[size + 5] = 3f;
        sample[(2 * size) + 7] = 1000f;
        using var graph = ort.Sessions.Open(SamplingGraphs.DecoderInput(scaling), "decoder_input");
        var latent = new float[2 * size];
        using var input = OrtValue.CreateTensorValueFromMemory(sample, [4, 8, 1, 16]);
        using var output = OrtValue.CreateTensorValueFromMemory(latent, [2, 8, 1, 16]);

        graph.Run(SamplingGraphs.SampleName, input, SamplingGraphs.LatentName, output, CancellationToken.None);

        var clipped = peak > 100;
        Assert.Equal(clippedPeak / scaling, latent[0]);
        Assert.Equal((clipped ? -10f : -12f) / scaling, latent[1]);
        Assert.Equal(3f / scaling, latent[size + 5]);
        Assert.Equal(0f, latent[7]);
    }

    [Fact]
    public void Start_NoiseTwiceAndTheLabelsAsTheyAre()
    {
        using var graph = ort.Sessions.Open(SamplingGraphs.Start(), "start");
        var noise = Enumerable.Range(0, 8 * 2 * 16).Select(i => (float)i).ToArray();
        var labels = Enumerable.Range(0, 2 * 512).Select(i => -i / 7f).ToArray();
        var sample = new float[2 * noise.Length];
        var labelsOut = new float[labels.Length];
        using var binding = graph.Session.CreateIoBinding();
        using var noiseIn = OrtValue.CreateTensorValueFromMemory(noise, [1, 8, 2, 16]);
        using var labelsIn = OrtValue.CreateTensorValueFromMemory(labels, [2, 512]);
        using var sampleOut = OrtValue.CreateTensorValueFromMemory(sample, [2, 8, 2, 16]);
        using var labelsDevice = OrtValue.CreateTensorValueFromMemory(labelsOut, [2, 512]);
        binding.BindInput(SamplingGraphs.NoiseName, noiseIn);
        binding.BindInput(SamplingGraphs.ClassLabelsName, labelsIn);
        binding.BindOutput(SamplingGraphs.SampleName, sampleOut);
        binding.BindOutput(SamplingGraphs.LabelsName, labelsDevice);

        graph.Run(binding, CancellationToken.None);

        Assert.Equal([.. noise, .. noise], sample);
        Assert.Equal(labels, labelsOut);
    }
}
