using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Embedding;
using V2AStream.Core.Media;
using V2AStream.Core.Models;
using V2AStream.Core.Tests.Models;
using V2AStream.Onnx;
using V2AStream.Onnx.Graphs;
using V2AStream.Testing;
using V2AStream.Testing.Onnx;

namespace V2AStream.Core.Tests.Embedding;

[Collection(OrtCollection.Name)]
public sealed class OnnxImageEmbedderTests(OrtSessionsFixture ort) : IDisposable
{
    private static readonly EmbedderSpec TinySpec = new()
    {
        Kind = OnnxImageEmbedderKind.KindName,
        File = "tiny.onnx",
        Input = "pixel_values",
        Output = "image_embeds",
        Size = 4,
        Resize = "plain",
        Mean = [0.5f, 0.25f, 0.125f],
        Std = [0.5f, 0.25f, 2f],
        Dim = 3,
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("v2a-embed-tests-").FullName;

    [Fact]
    public async Task EmbedAsync_TinyGraph_FeedsNchwPixelsNormalizedByTheManifestsMeanAndStd()
    {
        using var embedder = Create(TinySpec, TinyModel(), maxBatchSize: 2);
        var frames = Enumerable.Range(0, 5).Select(i => SolidFrame(i, (byte)(i * 50), 0, 255)).ToArray();

        var embeddings = await embedder.EmbedAsync(frames);

        // The graph averages each channel plane: the result is ((value / 255) - mean) / std per channel.
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(((i * 50 / 255f) - 0.5f) / 0.5f, embeddings[i][0], 5);
            Assert.Equal((0f - 0.25f) / 0.25f, embeddings[i][1], 5);
            Assert.Equal((1f - 0.125f) / 2f, embeddings[i][2], 5);
        }

        Assert.Equal(FrameGeometry.Plain(4, 4), embedder.Geometry);
    }

    [Fact]
    public async Task EmbedAsync_GraphWithTheClipVisualContract_Gives512dRowsForClipCroppedFrames()
    {
        // The exported CLIP ViT-B/32 image tower's contract: pixel_values [N, 3, 224, 224] -> image_embeds [N, 512].
        var spec = new EmbedderSpec
        {
            Kind = OnnxImageEmbedderKind.KindName,
            File = "clip_visual.onnx",
            Input = "pixel_values",
            Output = "image_embeds",
            Size = 224,
            Resize = "clip",
            Mean = [0.48145466f, 0.4578275f, 0.40821073f],
            Std = [0.26862954f, 0.26130258f, 0.27577711f],
            Dim = 512,
        };
        var path = new OnnxGraphBuilder("clip-shaped")
            .Input("pixel_values", TensorElementType.Float, "batch", 3L, 224L, 224L)
            .Output("image_embeds", TensorElementType.Float, "batch", 512L)
            .Initializer("projection", Enumerable.Range(0, 3 * 512).Select(i => (i % 3) == 0 ? 1f : 0f).ToArray(), 3, 512)
            .Node("ReduceMean", ["pixel_values"], ["pooled"], OnnxAttribute.Ints("axes", 2, 3), OnnxAttribute.Int("keepdims", 0))
            .Node("MatMul", ["pooled", "projection"], ["image_embeds"])
            .WriteTo(Path.Combine(_directory, "clip_visual.onnx"));
        using var embedder = Create(spec, path);
        var pixels = Enumerable.Repeat((byte)255, 224 * 224 * 3).ToArray();
        using var white = new VideoFrame(0, 0, 224, 224, pixels);

        var embeddings = await embedder.EmbedAsync([white, white, white]);

        Assert.Equal(FrameGeometry.Clip(224), embedder.Geometry);
        Assert.Equal(3, embeddings.Length);
        Assert.All(embeddings, e => Assert.Equal(512, e.Length));
        Assert.Equal((1f - 0.48145466f) / 0.26862954f, embeddings[2][0], 3);
    }

    [Fact]
    public void Create_WrongInputName_ThrowsContractMismatchNamingFileAndTensor()
    {
        var error = Assert.Throws<ModelSetException>(() => Create(TinySpec with { Input = "input" }, TinyModel()));

        Assert.Equal(ModelSetErrorReason.ContractMismatch, error.Reason);
        Assert.Equal("input", error.Tensor);
        Assert.EndsWith("tiny.onnx", error.File, StringComparison.Ordinal);
        Assert.Contains("pixel_values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WrongDim_ThrowsContractMismatchNamingTheOutput()
    {
        var error = Assert.Throws<ModelSetException>(() => Create(TinySpec with { Dim = 512 }, TinyModel()));

        Assert.Equal(ModelSetErrorReason.ContractMismatch, error.Reason);
        Assert.Equal("image_embeds", error.Tensor);
    }

    [Fact]
    public void Create_WrongInputSize_ThrowsContractMismatch()
    {
        var error = Assert.Throws<ModelSetException>(() => Create(TinySpec with { Size = 224 }, TinyModel()));

        Assert.Equal(ModelSetErrorReason.ContractMismatch, error.Reason);
        Assert.Contains("[N, 3, 224, 224]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_BuiltinSetsEmbedder_NeedsNoRuntime()
    {
        await using var set = await BuiltinSet.LoadAsync();

        Assert.IsType<BuiltinPixelEmbedder>(set.Embedder);
        Assert.Equal(512, set.Embedder.Dim);
    }

    [SharedDataFact("models/mobilenetv2-12-int8-embedding.onnx", "cuts/issue-134-rotate.mp4")]
    public async Task EmbedAsync_MobilenetSet_Gives1280dFeaturesThatSeparateShots()
    {
        var catalog = new ModelSetCatalog([Path.Combine(RepositoryPaths.Root, "models")], [RepositoryPaths.SharedData("models")!]);
        var loader = new ModelSetLoader(catalog, new ModelSetLoaderOptions { SessionSettings = new SessionSettings { IntraOpThreads = 1 } });
        await using var set = await loader.LoadAsync("mobilenet", [ModelPartSlot.Embedder], CancellationToken.None);
        var embedder = set.Embedder;
        var reader = new FrameReader(new FrameReaderOptions { SampleFps = 1, Geometry = embedder.Geometry });
        var frames = new List<VideoFrame>();
        await foreach (var frame in reader.ReadFramesAsync(MediaSource.FromFile(RepositoryPaths.SharedData("cuts/issue-134-rotate.mp4")!)))
        {
            frames.Add(frame);
        }

        float[][] embeddings;
        try
        {
            embeddings = await embedder.EmbedAsync(frames);
        }
        finally
        {
            frames.ForEach(f => f.Dispose());
        }

        Assert.Equal(1280, embedder.Dim);
        Assert.All(embeddings, e => Assert.All(e, v => Assert.True(float.IsFinite(v) && v >= 0, "pooled ReLU6 features are finite and non-negative")));

        // Shots: [0, 3.75), [3.75, 8.76), [8.76, 10): frames at 1 s and 2 s share a shot; 2 s and 5 s do not.
        var sameShot = TensorPrimitives.CosineSimilarity(embeddings[1], embeddings[2]);
        var acrossCut = TensorPrimitives.CosineSimilarity(embeddings[2], embeddings[5]);
        Assert.True(sameShot > acrossCut + 0.1, $"same shot {sameShot:0.000}, across a cut {acrossCut:0.000}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The embedder over the model at <paramref name="path"/>, opened as the onnx-image kind opens it.</summary>
    private OnnxImageEmbedder Create(EmbedderSpec spec, string path, int maxBatchSize = OnnxImageEmbedder.DefaultMaxBatchSize) =>
        OnnxImageEmbedder.Create(ort.Sessions.Open(path), spec, path, maxBatchSize);

    private string TinyModel() =>
        new OnnxGraphBuilder("tiny-image-tower")
            .Input("pixel_values", TensorElementType.Float, "batch", 3L, 4L, 4L)
            .Output("image_embeds", TensorElementType.Float, "batch", 3L)
            .Node("ReduceMean", ["pixel_values"], ["image_embeds"], OnnxAttribute.Ints("axes", 2, 3), OnnxAttribute.Int("keepdims", 0))
            .WriteTo(Path.Combine(_directory, "tiny.onnx"));

    private static VideoFrame SolidFrame(int index, byte r, byte g, byte b)
    {
        var pixels = new byte[4 * 4 * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        }

        return new VideoFrame(index, index / 4.0, 4, 4, pixels);
    }
}
