using System.Numerics.Tensors;
using V2AStream.Testing;
using Xunit.Abstractions;

namespace V2AStream.Onnx.Tests.RealModels;

/// <summary>The real pretrained MobileNetV2 (int8, ONNX Model Zoo) from ../shared/data/models through the binding.</summary>
[Collection(OrtCollection.Name)]
public sealed class MobileNetV2Tests(OrtRuntimeFixture ort, ITestOutputHelper output)
{
    private const string ModelFile = "models/mobilenetv2-12-int8-embedding.onnx";
    private const int Size = 224;

    [SharedDataFact(ModelFile)]
    public void Run_CrosswordPicture_TopClassIsCrosswordPuzzle()
    {
        using var session = InferenceSession.Create(ort.Runtime, RepositoryPaths.SharedData(ModelFile)!);
        var picture = SyntheticPictures.ToImageNetTensor(SyntheticPictures.Crossword(Size, 15), Size);
        using var result = session.Run([OrtInput.Create<float>("input", picture, 1, 3, Size, Size)], ["output"]);
        var logits = result["output"].GetData<float>();
        var top = TensorPrimitives.IndexOfMax(logits);
        output.WriteLine($"top-1 class {top}, logit {logits[top]}");
        Assert.Equal(1000, logits.Length);
        Assert.Equal(918, top); // ImageNet 918: "crossword puzzle"
    }

    [SharedDataFact(ModelFile)]
    public void Run_Batch8_MatchesBatch1PerItem()
    {
        using var session = InferenceSession.Create(ort.Runtime, RepositoryPaths.SharedData(ModelFile)!);
        var single = SyntheticPictures.ToImageNetTensor(SyntheticPictures.Blobs(Size), Size);
        var batch = Enumerable.Repeat(single, 8).SelectMany(p => p).ToArray();
        using var one = session.Run([OrtInput.Create<float>("input", single, 1, 3, Size, Size)], ["embedding"]);
        using var eight = session.Run([OrtInput.Create<float>("input", batch, 8, 3, Size, Size)], ["embedding"]);
        Assert.Equal([8L, 1280L], eight["embedding"].Shape);
        var expected = one["embedding"].ToArray<float>();
        var last = eight["embedding"].GetData<float>()[(7 * 1280)..].ToArray();
        Assert.All(expected.Zip(last), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));
    }

    [SharedDataFact(ModelFile)]
    public void Embedding_TwoCropsOfOnePicture_AreCloserThanTwoPictures()
    {
        using var session = InferenceSession.Create(ort.Runtime, RepositoryPaths.SharedData(ModelFile)!);
        const int full = 300;
        var grid = SyntheticPictures.Crossword(full, 20);
        var blobs = SyntheticPictures.Blobs(full);
        float[] Embed(byte[] picture, int left, int top)
        {
            var crop = SyntheticPictures.Crop(picture, full, left, top, Size);
            using var result = session.Run([OrtInput.Create<float>("input", SyntheticPictures.ToImageNetTensor(crop, Size), 1, 3, Size, Size)], ["embedding"]);
            Assert.Equal([1L, 1280L], result["embedding"].Shape);
            return result["embedding"].ToArray<float>();
        }

        var gridA = Embed(grid, 0, 0);
        var gridB = Embed(grid, 60, 50);
        var blobA = Embed(blobs, 0, 0);
        var samePicture = TensorPrimitives.CosineSimilarity(gridA, gridB);
        var differentPictures = TensorPrimitives.CosineSimilarity(gridA, blobA);
        output.WriteLine($"cosine: two crops {samePicture:F3}, two pictures {differentPictures:F3}");
        Assert.True(samePicture > differentPictures + 0.2f, $"two crops {samePicture:F3} vs two pictures {differentPictures:F3}");
    }
}
