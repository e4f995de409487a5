using V2AStream.Core.Embedding;
using V2AStream.Core.Models;
using V2AStream.Testing;
using V2AStream.Testing.Models;
using V2AStream.Testing.Onnx;

namespace V2AStream.Core.Tests.Embedding;

[Collection(OrtCollection.Name)]
public sealed class OnnxAudioEmbedderTests(OrtSessionsFixture ort) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-audio-embedder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Load_SetWithAudioEmbedder_EmbedsWindowsThroughTheContractTower()
    {
        var folder = TestKinds.WriteSet(_dir, "clap", extraParts: ClapContractModels.ManifestPart);
        ClapContractModels.WriteAudioTower(folder);
        var loader = new ModelSetLoader(new ModelSetCatalog([], []));

        await using var set = await loader.LoadAsync(folder, [ModelPartSlot.Embedder, IAudioEmbedder.Slot], CancellationToken.None);
        var embedder = set.Get<IAudioEmbedder>(IAudioEmbedder.Slot);

        Assert.Equal((48000, 480000, 512), (embedder.SampleRate, embedder.WindowSamples, embedder.Dim));
        var windows = new float[5 * embedder.WindowSamples];
        for (var n = 0; n < embedder.WindowSamples; n++)
        {
            windows[n] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * n / 48000));
            windows[(4 * embedder.WindowSamples) + n] = (float)(0.5 * Math.Sin(2 * Math.PI * 880 * n / 48000));
        }

        var embeddings = new float[5 * embedder.Dim];
        await embedder.EmbedAsync(windows, embeddings, CancellationToken.None);

        // Energy mean(x²) and roughness mean |x[i+1] - x[i]| of the sines (computed in double over the float32 samples).
        Assert.Equal(0.125f, embeddings[0], 5);
        Assert.Equal(0.0183308f, embeddings[1], 6);
        Assert.Equal(ClapContractModels.Bias, embeddings[2]);
        Assert.All(embeddings[3..512], v => Assert.Equal(0f, v));
        Assert.Equal([0f, 0f, ClapContractModels.Bias], embeddings.AsSpan(512, 3).ToArray());
        Assert.Equal(0.125f, embeddings[2048], 5);
        Assert.Equal(0.0366465f, embeddings[2049], 6);
    }

    [Fact]
    public void Create_WrongWindowLength_IsAContractMismatchNamingTheTensor()
    {
        var path = Path.Combine(_dir, "short.onnx");
        File.WriteAllBytes(path, ClapContractModels.AudioTower(samples: 16000));
        var spec = new AudioEmbedderSpec { Kind = "onnx-audio", File = "short.onnx" };

        var error = Assert.Throws<ModelSetException>(() => OnnxAudioEmbedder.Create(ort.Sessions.Open(path), spec, path));

        Assert.Equal((ModelSetErrorReason.ContractMismatch, "waveform"), (error.Reason, error.Tensor));
        Assert.EndsWith("short.onnx: input 'waveform' has shape [?,16000], expected [?,480000].", error.Message, StringComparison.Ordinal);
    }
}
