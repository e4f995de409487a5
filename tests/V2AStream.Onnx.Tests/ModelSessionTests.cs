using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Testing;

namespace V2AStream.Onnx.Tests;

[Collection(OrtCollection.Name)]
public sealed class ModelSessionTests(OrtSessionsFixture ort)
{
    private OrtSessionFactory Sessions => ort.Sessions;

    [Fact]
    public void Run_Float32_RoundTripsValuesAndShape()
    {
        using var session = Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        float[] data = [1.5f, -2f, float.MaxValue, float.Epsilon, 0f, 3.25f];
        using var x = OrtValue.CreateTensorValueFromMemory(data, [2, 3]);
        using var result = session.Run(Inputs(("x", x)));
        Assert.Equal(data, result.Single().GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal([2L, 3L], result.Single().GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void Metadata_ReportsNamesTypesAndDynamicDims()
    {
        using var session = Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx");
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
        using var session = Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx");
        var pixels = Enumerable.Range(0, 2 * 3 * 4 * 4).Select(i => (float)i).ToArray();
        using var image = OrtValue.CreateTensorValueFromMemory(pixels, [2, 3, 4, 4]);
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { 5, 9 }, [2]);
        using var result = session.Run(Inputs(("ids", ids), ("image", image)), ["ids_float", "doubled"]);
        Assert.Equal([5f, 9f], result.First().GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal(pixels.Select(v => v * 2), result.Last().GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Run_WrongInputName_ThrowsOneLineNamingModelInputAndTheExpectedOnes()
    {
        using var session = Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        using var pixels = OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1]);
        var error = Assert.Throws<OrtException>(() => session.Run(Inputs(("pixels", pixels))));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Equal("Model 'identity.onnx' has no input 'pixels'; its inputs are x: float32 [?,?].", error.Message);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsNamingInputAndTypes()
    {
        using var session = Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx");
        using var image = OrtValue.CreateTensorValueFromMemory(new float[48], [1, 3, 4, 4]);
        using var ids = OrtValue.CreateTensorValueFromMemory(new int[] { 3 }, [1]);
        var error = Assert.Throws<OrtException>(() => session.Run(Inputs(("image", image), ("ids", ids))));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Equal("Input 'ids' of model 'two.onnx' must be int64, got int32.", error.Message);
    }

    [Theory]
    [InlineData(new long[] { 1, 3, 4 }, "[1,3,4]")]
    [InlineData(new long[] { 1, 3, 5, 4 }, "[1,3,5,4]")]
    public void Run_WrongShape_ThrowsNamingInputAndBothShapes(long[] shape, string given)
    {
        using var session = Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx");
        using var image = OrtValue.CreateTensorValueFromMemory(new float[shape.Aggregate(1L, (a, b) => a * b)], shape);
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { 3 }, [1]);
        var error = Assert.Throws<OrtException>(() => session.Run(Inputs(("image", image), ("ids", ids))));
        Assert.Equal($"Input 'image' of model 'two.onnx' must have shape [?,3,4,4], got {given}.", error.Message);
    }

    [Fact]
    public void Run_MissingInput_ThrowsNamingIt()
    {
        using var session = Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx");
        using var image = OrtValue.CreateTensorValueFromMemory(new float[48], [1, 3, 4, 4]);
        var error = Assert.Throws<OrtException>(() => session.Run(Inputs(("image", image))));
        Assert.Equal("Model 'two.onnx' needs input 'ids' (ids: int64 [?]).", error.Message);
    }

    [Fact]
    public void Run_UnknownOutput_ThrowsNamingIt()
    {
        using var session = Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        using var x = OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1]);
        var error = Assert.Throws<OrtException>(() => session.Run(Inputs(("x", x)), ["logits"]));
        Assert.Contains("no output 'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OrtRejectsTheRun_ThrowsOneLineNamingTheModelWithOrtsCode()
    {
        // A shape that passes the declared [?,?] but that MatMul cannot multiply by itself: the failure comes from ORT.
        using var session = Sessions.Open(TestModels.SquareWithDynamicInput(), "square.onnx");
        using var wide = OrtValue.CreateTensorValueFromMemory(new float[6], [2, 3]);
        var error = Assert.Throws<OrtException>(() => session.Run(Inputs(("x", wide))));
        Assert.StartsWith("Run of 'square.onnx' failed: ", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(OrtErrorCode.Ok, error.Code);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_MissingFile_ThrowsNoSuchFileWithThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2a-missing-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<OrtException>(() => Sessions.Open(path));
        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CorruptFile_ThrowsOneLineWithThePathAndOrtsReason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2a-corrupt-{Guid.NewGuid():N}.onnx");
        var model = TestModels.TwoInTwoOut();
        File.WriteAllBytes(path, model.AsSpan(0, model.Length / 2).ToArray());
        try
        {
            var error = Assert.Throws<OrtException>(() => Sessions.Open(path));
            Assert.StartsWith($"Cannot load model '{path}': ", error.Message, StringComparison.Ordinal);
            Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_GarbageBytes_ThrowsInvalidProtobufNamingTheModel()
    {
        var error = Assert.Throws<OrtException>(() => Sessions.Open("not a model at all"u8.ToArray(), "garbage.onnx"));
        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
        Assert.Contains("'garbage.onnx'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CancelledDuringRun_ThrowsOperationCanceledAndSessionStaysUsable()
    {
        // About 200 GFLOP: minutes of work if the terminate flag were ignored, so a pass means it was honoured.
        using var session = Sessions.Open(TestModels.LongMatMulChain(n: 1024, depth: 100), "chain.onnx", new SessionSettings { IntraOpThreads = 1 });
        using var x = OrtValue.CreateTensorValueFromMemory(new float[1024 * 1024], [1024, 1024]);
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<OperationCanceledException>(() => session.Run(Inputs(("x", x)), cancellationToken: cancellation.Token));
        Assert.Equal(cancellation.Token, error.CancellationToken);

        using var small = Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        using var four = OrtValue.CreateTensorValueFromMemory(new float[] { 4 }, [1, 1]);
        using var result = small.Run(Inputs(("x", four)));
        Assert.Equal([4f], result.Single().GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void RunWithBinding_CancelledDuringRun_ThrowsOperationCanceled()
    {
        using var session = Sessions.Open(TestModels.LongMatMulChain(n: 1024, depth: 100), "chain.onnx", new SessionSettings { IntraOpThreads = 1 });
        using var x = OrtValue.CreateTensorValueFromMemory(new float[1024 * 1024], [1024, 1024]);
        using var y = session.AllocateTensor(1024, 1024);
        using var binding = session.Session.CreateIoBinding();
        binding.BindInput("x", x);
        binding.BindOutput("y", y);
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<OperationCanceledException>(() => session.Run(binding, cancellation.Token));
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal("Run of 'chain.onnx' was cancelled.", error.Message);
    }

    [Fact]
    public void Run_AlreadyCancelled_ThrowsWithoutRunning()
    {
        using var session = Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        using var x = OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1]);
        Assert.Throws<OperationCanceledException>(() => session.Run(Inputs(("x", x)), cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Run_ConcurrentCallsOnOneSession_EachGetsItsOwnResult()
    {
        using var session = Sessions.Open(TestModels.Identity(TensorElementType.Float), "identity.onnx");
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            using var x = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((float)i, 1000).ToArray(), [10, 100]);
            using var result = session.Run(Inputs(("x", x)));
            return result.Single().GetTensorDataAsSpan<float>().ToArray().Distinct().Single();
        })));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), results);
    }

    [Fact]
    public void Open_WithThreadAndOptimizationSettings_Runs()
    {
        var settings = new SessionSettings
        {
            IntraOpThreads = 2,
            InterOpThreads = 1,
            OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            EnableCpuMemArena = false,
            AllowSpinning = false,
        };
        using var session = Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx", settings);
        using var image = OrtValue.CreateTensorValueFromMemory(new float[48], [1, 3, 4, 4]);
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { 1 }, [1]);
        using var result = session.Run(Inputs(("image", image), ("ids", ids)));
        Assert.Equal(2, result.Count);
    }

    [Fact]
    public void Open_NegativeThreadCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sessions.Open(TestModels.TwoInTwoOut(), "two.onnx", new SessionSettings { IntraOpThreads = -1 }));
    }

    private static Dictionary<string, OrtValue> Inputs(params (string Name, OrtValue Value)[] inputs) =>
        inputs.ToDictionary(i => i.Name, i => i.Value);
}
