using V2AStream.Testing.Onnx;
using V2AStream.Testing;

namespace V2AStream.Onnx.Tests;

[Collection(OrtCollection.Name)]
public sealed class InferenceSessionTests(OrtRuntimeFixture ort)
{
    private OrtRuntime Runtime => ort.Runtime;

    [Fact]
    public void Run_Float32_RoundTripsValuesAndShape()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        float[] data = [1.5f, -2f, float.MaxValue, float.Epsilon, 0f, 3.25f];
        using var result = session.Run([OrtInput.Create<float>("x", data, 2, 3)]);
        Assert.Equal(data, result["y"].ToArray<float>());
        Assert.Equal([2L, 3L], result["y"].Shape);
        Assert.Equal(TensorElementType.Float, result["y"].ElementType);
    }

    [Fact]
    public void Run_Float16_RoundTripsValues()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float16));
        Half[] data = [(Half)1.5f, (Half)(-2f), (Half)65504f, (Half)0.000061035156f];
        using var result = session.Run([OrtInput.Create<Half>("x", data, 1, 4)]);
        Assert.Equal(data, result["y"].ToArray<Half>());
    }

    [Fact]
    public void Run_Int64_RoundTripsValues()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Int64));
        long[] data = [long.MinValue, -1, 0, 961, long.MaxValue, 40];
        using var result = session.Run([OrtInput.Create<long>("x", data, 3, 2)]);
        Assert.Equal(data, result["y"].ToArray<long>());
    }

    [Fact]
    public void Run_Int32_RoundTripsValues()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Int32));
        int[] data = [int.MinValue, -7, 0, int.MaxValue];
        using var result = session.Run([OrtInput.Create<int>("x", data, 2, 2)]);
        Assert.Equal(data, result["y"].ToArray<int>());
    }

    [Fact]
    public void Run_UInt8_RoundTripsValues()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.UInt8));
        byte[] data = [0, 1, 127, 128, 254, 255];
        using var result = session.Run([OrtInput.Create<byte>("x", data, 1, 6)]);
        Assert.Equal(data, result["y"].ToArray<byte>());
    }

    [Fact]
    public void Run_DynamicDims_OutputShapeFollowsEachInput()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        using (var first = session.Run([OrtInput.Create<float>("x", new float[4], 1, 4)]))
        {
            Assert.Equal([1L, 4L], first["y"].Shape);
        }

        using var second = session.Run([OrtInput.Create<float>("x", new float[21], 7, 3)]);
        Assert.Equal([7L, 3L], second["y"].Shape);
        Assert.Equal(21, second["y"].ElementCount);
    }

    [Fact]
    public void Metadata_ReportsNamesTypesAndDynamicDims()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut());
        Assert.Equal(["image", "ids"], session.Inputs.Select(i => i.Name));
        Assert.Equal(["doubled", "ids_float"], session.Outputs.Select(o => o.Name));
        Assert.Equal(TensorElementType.Float, session.Inputs[0].ElementType);
        Assert.Equal(TensorElementType.Int64, session.Inputs[1].ElementType);
        Assert.Equal([-1L, 3L, 4L, 4L], session.Inputs[0].Dimensions);
        Assert.Equal("image: float32 [?,3,4,4]", session.Inputs[0].ToString());
    }

    [Fact]
    public void Run_SeveralInputsAndOutputs_ReturnsOutputsInRequestedOrder()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut());
        var image = Enumerable.Range(0, 2 * 3 * 4 * 4).Select(i => (float)i).ToArray();
        using var result = session.Run(
            [OrtInput.Create<long>("ids", new long[] { 5, 9 }, 2), OrtInput.Create<float>("image", image, 2, 3, 4, 4)],
            ["ids_float", "doubled"]);
        Assert.Equal(["ids_float", "doubled"], result.Select(o => o.Name));
        Assert.Equal([5f, 9f], result[0].ToArray<float>());
        Assert.Equal(image.Select(v => v * 2), result[1].ToArray<float>());
    }

    [Fact]
    public void Run_SubsetOfOutputs_ReturnsOnlyThose()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut());
        using var result = session.Run(
            [OrtInput.Create<float>("image", new float[48], 1, 3, 4, 4), OrtInput.Create<long>("ids", new long[] { 3 }, 1)],
            ["ids_float"]);
        Assert.Single(result);
        Assert.Equal([3f], result["ids_float"].ToArray<float>());
    }

    [Fact]
    public void Run_WrongInputName_ThrowsNamingTheInputAndTheExpectedOnes()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        var error = Assert.Throws<OrtException>(() => session.Run([OrtInput.Create<float>("pixels", new float[1], 1, 1)]));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Contains("no input 'pixels'", error.Message, StringComparison.Ordinal);
        Assert.Contains("x: float32 [?,?]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsNamingInputAndTypes()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut());
        var error = Assert.Throws<OrtException>(() => session.Run(
            [OrtInput.Create<float>("image", new float[48], 1, 3, 4, 4), OrtInput.Create<int>("ids", new int[] { 3 }, 1)]));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Contains("Input 'ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be int64, got int32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new long[] { 1, 3, 4 })]
    [InlineData(new long[] { 1, 3, 5, 4 })]
    public void Run_WrongShape_ThrowsNamingInputAndBothShapes(long[] shape)
    {
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut());
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        var error = Assert.Throws<OrtException>(() => session.Run(
            [OrtInput.Create<float>("image", new float[count], shape), OrtInput.Create<long>("ids", new long[] { 3 }, 1)]));
        Assert.Contains("Input 'image'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[?,3,4,4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DataShorterThanShape_ThrowsNamingInput()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        var error = Assert.Throws<OrtException>(() => session.Run([OrtInput.Create<float>("x", new float[5], 2, 3)]));
        Assert.Contains("Input 'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("6 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingInput_ThrowsNamingIt()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut());
        var error = Assert.Throws<OrtException>(() => session.Run([OrtInput.Create<float>("image", new float[48], 1, 3, 4, 4)]));
        Assert.Contains("'ids'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownOutput_ThrowsNamingIt()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        var error = Assert.Throws<OrtException>(() => session.Run([OrtInput.Create<float>("x", new float[1], 1, 1)], ["logits"]));
        Assert.Contains("no output 'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetData_WrongElementType_Throws()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        using var result = session.Run([OrtInput.Create<float>("x", new float[1], 1, 1)]);
        var error = Assert.Throws<OrtException>(() => result["y"].ToArray<long>());
        Assert.Contains("holds float32, not int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MissingFile_ThrowsNoSuchFileWithThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2a-missing-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<OrtException>(() => InferenceSession.Create(Runtime, path));
        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CorruptFile_ThrowsWithThePathAndOrtReason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2a-corrupt-{Guid.NewGuid():N}.onnx");
        var model = TestModels.TwoInTwoOut();
        File.WriteAllBytes(path, model.AsSpan(0, model.Length / 2).ToArray());
        try
        {
            var error = Assert.Throws<OrtException>(() => InferenceSession.Create(Runtime, path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.NotEqual(OrtErrorCode.Ok, error.Code);
            Assert.DoesNotContain('\n', error.Message.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_GarbageBytes_ThrowsInvalidProtobuf()
    {
        var error = Assert.Throws<OrtException>(() => InferenceSession.Create(Runtime, "not a model at all"u8));
        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
    }

    [Fact]
    public void Run_CancelledDuringRun_ThrowsOperationCanceledAndSessionStaysUsable()
    {
        // About 200 GFLOP: minutes of work if the terminate flag were ignored, so a pass means it was honoured.
        using var session = InferenceSession.Create(Runtime, TestModels.LongMatMulChain(n: 1024, depth: 100), new InferenceSessionOptions { IntraOpThreads = 1 });
        var input = new float[1024 * 1024];
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<OperationCanceledException>(() => session.Run([OrtInput.Create<float>("x", input, 1024, 1024)], cancellationToken: cancellation.Token));
        Assert.Equal(cancellation.Token, error.CancellationToken);

        using var small = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        using var result = small.Run([OrtInput.Create<float>("x", new float[] { 4 }, 1, 1)]);
        Assert.Equal([4f], result["y"].ToArray<float>());
    }

    [Fact]
    public void Run_AlreadyCancelled_ThrowsWithoutRunning()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        Assert.Throws<OperationCanceledException>(() => session.Run([OrtInput.Create<float>("x", new float[1], 1, 1)], cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Run_ConcurrentCallsOnOneSession_EachGetsItsOwnResult()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            using var result = session.Run([OrtInput.Create<float>("x", Enumerable.Repeat((float)i, 1000).ToArray(), 10, 100)]);
            return result["y"].ToArray<float>().Distinct().Single();
        })));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), results);
    }

    [Fact]
    public void Create_WithThreadAndOptimizationOptions_Runs()
    {
        var options = new InferenceSessionOptions
        {
            IntraOpThreads = 2,
            InterOpThreads = 1,
            OptimizationLevel = GraphOptimizationLevel.Basic,
            EnableCpuMemArena = false,
            AllowSpinning = false,
        };
        using var session = InferenceSession.Create(Runtime, TestModels.TwoInTwoOut(), options);
        using var result = session.Run([OrtInput.Create<float>("image", new float[48], 1, 3, 4, 4), OrtInput.Create<long>("ids", new long[] { 1 }, 1)]);
        Assert.Equal(2, result.Count);
    }

    [Fact]
    public void Create_NegativeThreadCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceSession.Create(Runtime, TestModels.TwoInTwoOut(), new InferenceSessionOptions { IntraOpThreads = -1 }));
    }

    [Fact]
    public void Create_CudaWithoutProviderLibraries_ThrowsProviderUnavailableWithTheFix()
    {
        var error = Assert.Throws<OrtException>(() => InferenceSession.Create(Runtime, TestModels.TwoInTwoOut(), new InferenceSessionOptions { Provider = ExecutionProvider.Cuda }));
        Assert.Equal(OrtErrorCode.ProviderUnavailable, error.Code);
        Assert.Contains("libonnxruntime_providers_cuda.so", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Dispose_OutputAfterResult_GetDataThrowsObjectDisposed()
    {
        using var session = InferenceSession.Create(Runtime, TestModels.Identity(TensorElementType.Float));
        var result = session.Run([OrtInput.Create<float>("x", new float[1], 1, 1)]);
        var output = result["y"];
        result.Dispose();
        Assert.Throws<ObjectDisposedException>(() => output.ToArray<float>());
    }
}
