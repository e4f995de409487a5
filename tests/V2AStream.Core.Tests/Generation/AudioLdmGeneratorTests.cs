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
        var (expected, _) = Reference(condition, 1, 1234);
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

    [Theory]
    [InlineData(1, 2, 320)]
    [InlineData(2, 3, 0)]
    public async Task GenerateAsync_ContinuedBlock_TiesItsFirstLatentFramesToThePreviousBlocksLast(int multiple, int tieFrames, int leadSamples)
    {
        using var generator = Load();
        Assert.True(generator.ContinuesScenes);
        var scene = new BlockContinuation();
        var first = ProceduralGeneratorTests.Condition(4, 512);
        var second = ProceduralGeneratorTests.Condition(5, 512);

        var a = (await generator.GenerateAsync([new BlockRequest(first, multiple, 77, scene)], CancellationToken.None))[0];
        var b = (await generator.GenerateAsync([new BlockRequest(second, multiple, 78, scene)], CancellationToken.None))[0];

        // The first block is an ordinary one; the second starts on the first one's frame grid, tieFrames frames before its end.
        var (expectedA, latentA) = Reference(first, multiple, 77);
        var frames = 64 * multiple;
        var known = new double[8 * tieFrames * 16];
        for (var c = 0; c < 8; c++)
        {
            Array.Copy(latentA, ((c * frames) + frames - tieFrames) * 16, known, c * tieFrames * 16, tieFrames * 16);
        }

        var (expectedB, _) = Reference(second, multiple, 78, known);
        Assert.Equal(40960 * multiple, a.Length);
        Assert.Equal((40960 * multiple) - leadSamples, b.Length);
        Assert.True(b.Length >= 40000 * multiple);
        for (var i = 0; i < a.Length; i += 97)
        {
            Assert.True(Math.Abs(a[i] - expectedA[i]) <= 1e-4, $"first block, sample {i}: {a[i]} vs {expectedA[i]}");
        }

        for (var i = 0; i < b.Length; i += 37)
        {
            Assert.True(Math.Abs(b[i] - expectedB[leadSamples + i]) <= 1e-4, $"continued block, sample {i}: {b[i]} vs {expectedB[leadSamples + i]}");
        }

        // Without the tie the continued block would start as the second condition alone does: the tie is what it matches.
        var (untied, _) = Reference(second, multiple, 78);
        var overlap = (tieFrames * 640) - leadSamples;
        var fromTied = Enumerable.Range(0, overlap).Max(i => Math.Abs(b[i] - expectedB[leadSamples + i]));
        var fromUntied = Enumerable.Range(0, overlap).Max(i => Math.Abs(b[i] - untied[leadSamples + i]));
        Assert.True(fromTied < fromUntied / 10, $"over the tied frames the block is {fromTied} from the tied reference and {fromUntied} from the untied one");
    }

    [Fact]
    public async Task GenerateAsync_BatchWithOneContinuedBlock_EachBlockAsAlone()
    {
        using var generator = Load();
        var scene = new BlockContinuation();
        var other = new BlockContinuation();
        var condition = ProceduralGeneratorTests.Condition(6, 512);
        await generator.GenerateAsync([new BlockRequest(condition, 1, 5, scene)], CancellationToken.None);
        var aloneScene = new BlockContinuation();
        await generator.GenerateAsync([new BlockRequest(condition, 1, 5, aloneScene)], CancellationToken.None);

        var batch = await generator.GenerateAsync([new BlockRequest(condition, 1, 9, other), new BlockRequest(condition, 1, 6, scene)], CancellationToken.None);
        var fresh = await generator.GenerateAsync(condition, 1, 9, CancellationToken.None);
        var continued = (await generator.GenerateAsync([new BlockRequest(condition, 1, 6, aloneScene)], CancellationToken.None))[0];

        Assert.Equal(fresh.Length, batch[0].Length);
        Assert.Equal(continued.Length, batch[1].Length);
        for (var i = 0; i < fresh.Length; i += 13)
        {
            Assert.True(Math.Abs(fresh[i] - batch[0][i]) <= 1e-6, $"fresh block, sample {i}");
        }

        for (var i = 0; i < continued.Length; i += 13)
        {
            Assert.True(Math.Abs(continued[i] - batch[1][i]) <= 1e-6, $"continued block, sample {i}");
        }
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

    /// <summary>
    /// The pipeline recomputed in double with the stand-ins' closed forms and models.md's DDIM formulas: the audio and the
    /// final latent [8, 64k, 16]. With <paramref name="known"/> [8, L, 16], the latent's first L frames are set to
    /// √ᾱ_t·known + √(1-ᾱ_t)·(the block's starting noise there) before every step, AudioLDM's inpainting.
    /// </summary>
    private static (float[] Audio, double[] Latent) Reference(float[] condition, int multiple, long seed, double[]? known = null)
    {
        var frames = 64 * multiple;
        var size = 8 * frames * 16;
        var noise = new float[size];
        GaussianNoise.Fill(seed, noise);
        var x = noise.Select(v => (double)v).ToArray();
        var uncondBias = Normalized(AudioLdmContractModels.Unconditional()).Average();
        var condBias = Normalized(condition).Average();
        var scheduler = new DdimScheduler(Steps);
        var tieFrames = known is null ? 0 : known.Length / (8 * 16);
        foreach (var t in scheduler.Timesteps)
        {
            var alpha = scheduler.AlphaCumprod(t);
            for (var c = 0; c < 8 && known is not null; c++)
            {
                for (var f = 0; f < tieFrames; f++)
                {
                    for (var q = 0; q < 16; q++)
                    {
                        var at = (((c * frames) + f) * 16) + q;
                        x[at] = (Math.Sqrt(alpha) * known[(((c * tieFrames) + f) * 16) + q]) + (Math.Sqrt(1 - alpha) * noise[at]);
                    }
                }
            }

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

        return (audio, x);
    }

    private static float[] Normalized(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }
}
