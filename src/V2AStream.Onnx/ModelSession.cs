using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace V2AStream.Onnx;

/// <summary>
/// One loaded ONNX model: ORT's <see cref="InferenceSession"/> with the model's file name for messages, its inputs and
/// outputs as <see cref="TensorMetadata"/>, and runs that honour a <see cref="CancellationToken"/> (ORT's
/// RunOptions.Terminate: the run stops at the next operator and <see cref="OperationCanceledException"/> is thrown) and
/// fail with one-line <see cref="OrtException"/>s naming the model. Runs may be concurrent: each has its own RunOptions,
/// so cancelling one never stops another. Made by <see cref="OrtSessionFactory"/>.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private const string TerminatedMessage = "Exiting due to terminate flag";

    private readonly Lazy<OrtAllocator> _allocator;

    internal ModelSession(InferenceSession session, string modelName, OrtDevice device)
    {
        Session = session;
        ModelName = modelName;
        Device = device;
        Inputs = TensorMetadata.Of(session.InputNames, session.InputMetadata);
        Outputs = TensorMetadata.Of(session.OutputNames, session.OutputMetadata);
        _allocator = new Lazy<OrtAllocator>(() => device.IsCpu ? OrtAllocator.DefaultInstance : CreateGpuAllocator(session, device));
    }

    /// <summary>ORT's session, for what this wrapper does not cover (IOBinding is run through <see cref="Run(OrtIoBinding, CancellationToken)"/>).</summary>
    public InferenceSession Session { get; }

    /// <summary>The model's file name, or the name it was opened under, for messages.</summary>
    public string ModelName { get; }

    /// <summary>Where the session runs.</summary>
    public OrtDevice Device { get; }

    public IReadOnlyList<TensorMetadata> Inputs { get; }

    public IReadOnlyList<TensorMetadata> Outputs { get; }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> and returns the outputs named in <paramref name="outputNames"/> (all
    /// outputs when null), in that order, in CPU memory. Inputs are checked against the model first, so a missing or
    /// unknown name, a wrong element type or shape fails with an <see cref="OrtException"/> that names the input.
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyDictionary<string, OrtValue> inputs, IReadOnlyCollection<string>? outputNames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ValidateInputs(inputs);
        var outputs = outputNames ?? Session.OutputNames;
        ValidateOutputNames(outputs);
        return RunCancellable(options => Session.Run(options, inputs, outputs), cancellationToken);
    }

    /// <summary>Runs the model on what <paramref name="binding"/> binds (inputs and outputs anywhere, e.g. on the GPU, with no copy).</summary>
    public void Run(OrtIoBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        RunCancellable(
            options =>
            {
                Session.RunWithBinding(options, binding);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Runs a model of one input and one output on tensors wherever they live, the output written into <paramref name="output"/>.</summary>
    public void Run(string inputName, OrtValue input, string outputName, OrtValue output, CancellationToken cancellationToken)
    {
        using var binding = Session.CreateIoBinding();
        binding.BindInput(inputName, input);
        binding.BindOutput(outputName, output);
        Run(binding, cancellationToken);
    }

    /// <summary>A float32 tensor of <paramref name="shape"/> in this session's device memory (the GPU for a CUDA session), uninitialized.</summary>
    public OrtValue AllocateTensor(params long[] shape) =>
        OrtValue.CreateAllocatedTensorValue(_allocator.Value, TensorElementType.Float, shape);

    /// <summary><paramref name="bytes"/> of this session's device memory, for tensors that view one buffer under two shapes.</summary>
    public OrtMemoryAllocation Allocate(uint bytes) => _allocator.Value.Allocate(bytes);

    public void Dispose()
    {
        if (_allocator.IsValueCreated && !Device.IsCpu)
        {
            _allocator.Value.Dispose();
        }

        Session.Dispose();
    }

    // The session's own allocator for the GPU's memory (its arena), so tensors we allocate are what the CUDA provider expects.
    private static OrtAllocator CreateGpuAllocator(InferenceSession session, OrtDevice device)
    {
        using var memory = device.CreateGpuMemoryInfo();
        return new OrtAllocator(session, memory);
    }

    private T RunCancellable<T>(Func<RunOptions, T> run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var options = new RunOptions();
        try
        {
            using (cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, options))
            {
                return run(options);
            }
        }
        catch (OnnxRuntimeException ex)
        {
            var (code, message) = OrtErrors.Parse(ex);
            if (cancellationToken.IsCancellationRequested || message.Contains(TerminatedMessage, StringComparison.Ordinal))
            {
                throw new OperationCanceledException($"Run of '{ModelName}' was cancelled.", ex, cancellationToken);
            }

            throw new OrtException(code, $"Run of '{ModelName}' failed: {message}.", ex);
        }
    }

    private void ValidateInputs(IReadOnlyDictionary<string, OrtValue> inputs)
    {
        foreach (var (name, value) in inputs)
        {
            var expected = Inputs.FirstOrDefault(m => m.Name == name)
                ?? throw new OrtException(OrtErrorCode.InvalidArgument, $"Model '{ModelName}' has no input '{name}'; its inputs are {Describe(Inputs)}.");
            var info = value.GetTensorTypeAndShape();
            if (info.ElementDataType != expected.ElementType)
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Input '{name}' of model '{ModelName}' must be {TensorElementTypes.Describe(expected.ElementType)}, got {TensorElementTypes.Describe(info.ElementDataType)}.");
            }

            if (!ShapeMatches(expected.Dimensions, info.Shape))
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Input '{name}' of model '{ModelName}' must have shape {TensorElementTypes.DescribeShape(expected.Dimensions.ToArray())}, got {TensorElementTypes.DescribeShape(info.Shape)}.");
            }
        }

        var missing = Inputs.FirstOrDefault(m => !inputs.ContainsKey(m.Name));
        if (missing is not null)
        {
            throw new OrtException(OrtErrorCode.InvalidArgument, $"Model '{ModelName}' needs input '{missing.Name}' ({missing}).");
        }
    }

    private void ValidateOutputNames(IEnumerable<string> outputNames)
    {
        foreach (var name in outputNames)
        {
            if (!Outputs.Any(o => o.Name == name))
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Model '{ModelName}' has no output '{name}'; its outputs are {Describe(Outputs)}.");
            }
        }
    }

    private static bool ShapeMatches(IReadOnlyList<long> expected, long[] actual)
    {
        if (expected.Count != actual.Length)
        {
            return false;
        }

        for (var i = 0; i < actual.Length; i++)
        {
            if (expected[i] >= 0 && expected[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(IEnumerable<TensorMetadata> tensors) => string.Join("; ", tensors);
}
