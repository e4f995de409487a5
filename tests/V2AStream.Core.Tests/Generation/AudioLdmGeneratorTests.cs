using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Generation;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using V2AStream.Testing;
using V2AStream.Testing.Onnx;

namespace V2AStream.Core.Tests.Generation;

/// <summary>The whole AudioLDM path (noise, guidance batch, DDIM, scaling, VAE, vocoder) on the contract stand-ins.</summary>
[Collection(OrtCollection.Name)]
public sealed class AudioLdmGeneratorTests(OrtSessionsFixture ort) : IDisposable
{
    private const int Steps = 4;
    private const float Guidance = 4.5f;
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-ldm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(TensorElementType.Float, false)]
    [InlineData(TensorElementType.Int64, false)]
    [InlineData(TensorElementType.Int64, true)]
    [InlineData(TensorElementType.Float, true)]
    public async Task GenerateAsync_ContractModels_MatchesReferencePipeline(TensorElementType timestepType, bool timestepVector)
    {
        using var generator = Load(AudioLdmContractModels.Unet(timestepType, timestepVector));
        var condition = ProceduralGeneratorTests.Condition(4, 512);

        var audio = await generator.GenerateAsync(condition, 1, 1234, CancellationToken.None);

        Assert.Equal(40960, audio.Length);
        var expected = Reference(condition, 1, 1234);
        for (var i = 0; i < audio.Length; i += 97)
        {
            Assert.True(Math.Abs(audio[i] - expected[i]) <= 1e-4, $"sample {i}: {audio[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public async Task GenerateAsync_BatchOfBlocks_EqualsBlocksAlone()
    {
        using var generator = Load();
        var a = ProceduralGeneratorTests.Condition(1, 512);
        var b = ProceduralGeneratorTests.Condition(2, 512);

        var batch = await generator.GenerateAsync([new BlockRequest(a, 2, 10), new BlockRequest(b, 2, 11)], CancellationToken.None);
        var alone = await generator.GenerateAsync(b, 2, 11, CancellationToken.None);

        Assert.Equal(2, batch.Length);
        Assert.Equal(81920, batch[1].Length);
        for (var i = 0; i < alone.Length; i++)
        {
            Assert.True(Math.Abs(alone[i] - batch[1][i]) <= 1e-6, $"sample {i}");
        }

        Assert.NotEqual(batch[0], batch[1]);
    }

    [Fact]
    public async Task GenerateAsync_WrongConditionDimension_SaysWhatItNeeds()
    {
        using var generator = Load();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(new float[1280], 1, 0, CancellationToken.None));

        Assert.Contains("512", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_Throws()
    {
        using var generator = Load();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(new float[512], 1, 0, cts.Token));
    }

    [Fact]
    public void Create_MissingVocoder_NamesTheFileAndWhereItLooked()
    {
        AudioLdmContractModels.WriteModelSet(_dir);
        File.Delete(Path.Combine(_dir, AudioLdmContractModels.VocoderFile));

        var ex = Assert.Throws<ModelSetException>(() => Create(ort.Sessions));

        Assert.Equal(ModelSetErrorReason.MissingFile, ex.Reason);
        Assert.EndsWith(AudioLdmContractModels.VocoderFile, ex.File, StringComparison.Ordinal);
        Assert.Contains(_dir, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithoutRuntime_SaysRuntimeUnavailable()
    {
        AudioLdmContractModels.WriteModelSet(_dir);

        var ex = Assert.Throws<ModelSetException>(() => Create(sessions: null));

        Assert.Equal(ModelSetErrorReason.RuntimeUnavailable, ex.Reason);
    }

    private IAudioGenerator Load(byte[]? unet = null)
    {
        AudioLdmContractModels.WriteModelSet(_dir, Steps, unet);
        return Create(ort.Sessions);
    }

    /// <summary>The generator of the set in the test's folder, built by its kind as the loader builds it.</summary>
    private IAudioGenerator Create(OrtSessionFactory? sessions)
    {
        var manifest = ModelSetManifestReader.Read(_dir);
        var part = manifest.Find(ModelPartSlot.Generator)!;
        return (IAudioGenerator)part.Kind.Create(part.Spec, new ModelPartContext(manifest, new ModelSetCatalog([], []), sessions));
    }

    /// <summary>The pipeline recomputed in double with the stand-ins' closed forms and models.md's DDIM formulas.</summary>
    private static float[] Reference(float[] condition, int multiple, long seed)
    {
        var frames = 64 * multiple;
        var size = 8 * frames * 16;
        var noise = new float[size];
        GaussianNoise.Fill(seed, noise);
        var x = noise.Select(v => (double)v).ToArray();
        var uncondBias = Normalized(AudioLdmContractModels.Unconditional()).Average();
        var condBias = Normalized(condition).Average();
        var scheduler = new DdimScheduler(Steps);
        foreach (var t in scheduler.Timesteps)
        {
            var alpha = scheduler.AlphaCumprod(t);
            var previous = t - scheduler.StepRatio;
            var alphaPrevious = previous >= 0 ? scheduler.AlphaCumprod(previous) : scheduler.AlphaCumprod(0);
            for (var i = 0; i < size; i++)
            {
                var epsU = (0.1 * x[i]) + uncondBias + (0.001 * t);
                var epsC = (0.1 * x[i]) + condBias + (0.001 * t);
                var eps = epsU + (Guidance * (epsC - epsU));
                var x0 = (x[i] - (Math.Sqrt(1 - alpha) * eps)) / Math.Sqrt(alpha);
                x[i] = (Math.Sqrt(alphaPrevious) * x0) + (Math.Sqrt(1 - alphaPrevious) * eps);
            }
        }

        // waveform[160f + s] = tanh(mean over channels c and latent bins q of latent[c, f/4, q] / scaling).
        var audio = new float[160 * 4 * frames];
        for (var f = 0; f < 4 * frames; f++)
        {
            var sum = 0.0;
            for (var c = 0; c < 8; c++)
            {
                for (var q = 0; q < 16; q++)
                {
                    sum += x[(((c * frames) + (f / 4)) * 16) + q];
                }
            }

            var value = (float)Math.Tanh(sum / 128 / AudioLdmContractModels.ScalingFactor);
            Array.Fill(audio, value, 160 * f, 160);
        }

        return audio;
    }

    private static float[] Normalized(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }
}
