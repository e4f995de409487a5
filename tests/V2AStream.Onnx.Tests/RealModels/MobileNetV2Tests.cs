using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using V2AStream.Testing;
using Xunit.Abstractions;

namespace V2AStream.Onnx.Tests.RealModels;

/// <summary>The real pretrained MobileNetV2 (int8, ONNX Model Zoo) from ../shared/data/models through <see cref="ModelSession"/>.</summary>
[Collection(OrtCollection.Name)]
public sealed class MobileNetV2Tests(OrtSessionsFixture ort, ITestOutputHelper output)
{
    private const string ModelFile = "models/mobilenetv2-12-int8-embedding.onnx";
    private const int Size = 224;

    [SharedDataFact(ModelFile)]
    public void Run_CrosswordPicture_TopClassIsCrosswordPuzzle()
    {
        using var session = ort.Sessions.Open(RepositoryPaths.SharedData(ModelFile)!);
        var picture = SyntheticPictures.ToImageNetTensor(SyntheticPictures.Crossword(Size, 15), Size);
        using var result = Run(session, picture, 1, "output");
        var logits = result.Single().GetTensorDataAsSpan<float>();
        var top = TensorPrimitives.IndexOfMax(logits);
        output.WriteLine($"top-1 class {top}, logit {logits[top]}");
        Assert.Equal(1000, logits.Length);
        Assert.Equal(918, top); // ImageNet 918: "crossword puzzle"
    }

    [SharedDataFact(ModelFile)]
    public void Run_Batch8_MatchesBatch1PerItem()
    {
        using var session = ort.Sessions.Open(RepositoryPaths.SharedData(ModelFile)!);
        var single = SyntheticPictures.ToImageNetTensor(SyntheticPictures.Blobs(Size), Size);
        var batch = Enumerable.Repeat(single, 8).SelectMany(p => p).ToArray();
        using var one = Run(session, single, 1, "embedding");
        using var eight = Run(session, batch, 8, "embedding");
        Assert.Equal([8L, 1280L], eight.Single().GetTensorTypeAndShape().Shape);
        var expected = one.Single().GetTensorDataAsSpan<float>().ToArray();
        var last = eight.Single().GetTensorDataAsSpan<float>()[(7 * 1280)..].ToArray();
        Assert.All(expected.Zip(last), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));
    }

    [SharedDataFact(ModelFile)]
    public void Embedding_TwoCropsOfOnePicture_AreCloserThanTwoPictures()
    {
        using var session = ort.Sessions.Open(RepositoryPaths.SharedData(ModelFile)!);
        const int full = 300;
        var grid = SyntheticPictures.Crossword(full, 20);
        var blobs = SyntheticPictures.Blobs(full);
        float[] Embed(byte[] picture, int left, int top)
        {
            var crop = SyntheticPictures.Crop(picture, full, left, top, Size);
            using var result = Run(session, SyntheticPictures.ToImageNetTensor(crop, Size), 1, "embedding");
            Assert.Equal([1L, 1280L], result.Single().GetTensorTypeAndShape().Shape);
            return result.Single().GetTensorDataAsSpan<float>().ToArray();
        }

        var gridA = Embed(grid, 0, 0);
        var gridB = Embed(grid, 60, 50);
        var blobA = Embed(blobs, 0, 0);
        var samePicture = TensorPrimitives.CosineSimilarity(gridA, gridB);
        var differentPictures = TensorPrimitives.CosineSimilarity(gridA, blobA);
        output.WriteLine($"cosine: two crops {samePicture:F3}, two pictures {differentPictures:F3}");
        Assert.True(samePicture > differentPictures + 0.2f, $"two crops {samePicture:F3} vs two pictures {differentPictures:F3}");
    }

    private static IDisposableReadOnlyCollection<OrtValue> Run(ModelSession session, float[] pictures, int batch, string output)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pictures, [batch, 3, Size, Size]);
        return session.Run(new Dictionary<string, OrtValue> { ["input"] = input }, [output]);
    }
}
