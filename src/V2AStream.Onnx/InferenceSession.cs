using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using V2AStream.Onnx.Native;

namespace V2AStream.Onnx;

/// <summary>
/// One loaded ONNX model. <see cref="Run"/> may be called from several threads at once (ORT allows
/// concurrent runs on one session); each run gets its own RunOptions so cancelling one never stops another.
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private const int OnnxTypeTensor = 1;
    private const string TerminatedMessage = "Exiting due to terminate flag";

    private readonly OrtApi _api;
    private readonly OrtHandle _session;
    private readonly OrtHandle _cpuMemory;

    private InferenceSession(OrtApi api, OrtHandle session, OrtHandle cpuMemory, string modelName)
    {
        _api = api;
        _session = session;
        _cpuMemory = cpuMemory;
        ModelName = modelName;
        Inputs = ReadMetadata(isInput: true);
        Outputs = ReadMetadata(isInput: false);
    }

    /// <summary>The file name of the model, or "(in-memory model)", for messages.</summary>
    public string ModelName { get; }

    public IReadOnlyList<TensorMetadata> Inputs { get; }

    public IReadOnlyList<TensorMetadata> Outputs { get; }

    /// <summary>Loads the model file at <paramref name="modelPath"/>.</summary>
    public static InferenceSession Create(OrtRuntime runtime, string modelPath, InferenceSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var modelName = Path.GetFileName(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new OrtException(OrtErrorCode.NoSuchFile, $"Model file '{modelPath}' does not exist. Check the path, or the model set's manifest ('v2a models check DIR').");
        }

        var api = runtime.Api;
        using var sessionOptions = CreateSessionOptions(runtime, options ?? new InferenceSessionOptions());
        var pathBytes = Encoding.UTF8.GetBytes(Path.GetFullPath(modelPath) + "\0");
        nint session;
        fixed (byte* path = pathBytes)
        {
            var status = api.CreateSession(runtime.Env.DangerousGetHandle(), path, sessionOptions.DangerousGetHandle(), &session);
            ThrowLoadFailure(api, status, modelPath);
        }

        return Wrap(runtime, session, modelName);
    }

    /// <summary>Loads a model from its serialized bytes (a ModelProto).</summary>
    public static InferenceSession Create(OrtRuntime runtime, ReadOnlySpan<byte> model, InferenceSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var api = runtime.Api;
        using var sessionOptions = CreateSessionOptions(runtime, options ?? new InferenceSessionOptions());
        nint session;
        fixed (byte* data = model)
        {
            var status = api.CreateSessionFromArray(runtime.Env.DangerousGetHandle(), data, (nuint)model.Length, sessionOptions.DangerousGetHandle(), &session);
            ThrowLoadFailure(api, status, "(in-memory model)");
        }

        return Wrap(runtime, session, "(in-memory model)");
    }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> and returns the outputs named in <paramref name="outputNames"/>
    /// (all outputs when null), in that order. Inputs are checked against the model first, so a wrong name,
    /// element type or shape fails with an <see cref="OrtException"/> that names the input.
    /// Cancelling <paramref name="cancellationToken"/> sets ORT's terminate flag; the run then stops at
    /// the next operator and this method throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public OrtRunResult Run(IReadOnlyList<OrtInput> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        ValidateInputs(inputs);
        var outputs = outputNames ?? Outputs.Select(o => o.Name).ToArray();
        ValidateOutputNames(outputs);

        var names = inputs.Select(i => i.Name).Concat(outputs).ToArray();
        var nameBuffer = ArrayPool<byte>.Shared.Rent(names.Sum(n => Encoding.UTF8.GetMaxByteCount(n.Length) + 1));
        var pins = new MemoryHandle[inputs.Count];
        var inputValues = new nint[inputs.Count];
        var outputValues = new nint[outputs.Count];
        var sessionAdded = false;
        try
        {
            _session.DangerousAddRef(ref sessionAdded);
            for (var i = 0; i < inputs.Count; i++)
            {
                pins[i] = inputs[i].Pin();
                inputValues[i] = CreateInputValue(inputs[i], pins[i].Pointer);
            }

            fixed (byte* nameBytes = nameBuffer)
            fixed (nint* inputPtr = inputValues)
            fixed (nint* outputPtr = outputValues)
            {
                var namePointers = stackalloc nint[names.Length];
                var offset = 0;
                for (var i = 0; i < names.Length; i++)
                {
                    namePointers[i] = (nint)(nameBytes + offset);
                    offset += Encoding.UTF8.GetBytes(names[i], nameBuffer.AsSpan(offset));
                    nameBuffer[offset++] = 0;
                }

                using var runOptions = CreateRunOptions();
                nint status;
                using (cancellationToken.Register(static state => ((RunTerminator)state!).Terminate(), new RunTerminator(_api, runOptions)))
                {
                    status = _api.Run(
                        _session.DangerousGetHandle(),
                        runOptions.DangerousGetHandle(),
                        namePointers,
                        inputPtr,
                        (nuint)inputs.Count,
                        namePointers + inputs.Count,
                        (nuint)outputs.Count,
                        outputPtr);
                }

                if (status != 0)
                {
                    var error = _api.ToException(status);
                    if (cancellationToken.IsCancellationRequested || error.Message.Contains(TerminatedMessage, StringComparison.Ordinal))
                    {
                        throw new OperationCanceledException($"Run of '{ModelName}' was cancelled.", error, cancellationToken);
                    }

                    throw new OrtException(error.Code, $"Run of '{ModelName}' failed: {error.Message}", error);
                }
            }

            return WrapOutputs(outputs, outputValues);
        }
        catch
        {
            foreach (var value in outputValues)
            {
                if (value != 0)
                {
                    _api.ReleaseValue(value);
                }
            }

            throw;
        }
        finally
        {
            foreach (var value in inputValues)
            {
                if (value != 0)
                {
                    _api.ReleaseValue(value);
                }
            }

            // Unpin only after ORT has let go of the OrtValues that point into the memory.
            foreach (var pin in pins)
            {
                pin.Dispose();
            }

            if (sessionAdded)
            {
                _session.DangerousRelease();
            }

            ArrayPool<byte>.Shared.Return(nameBuffer);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _cpuMemory.Dispose();
    }

    private static InferenceSession Wrap(OrtRuntime runtime, nint session, string modelName)
    {
        var api = runtime.Api;
        var sessionHandle = new OrtHandle(session, api.ReleaseSession, runtime.Env);
        try
        {
            nint memoryInfo;
            api.Check(api.CreateCpuMemoryInfo(1 /* arena */, 0 /* default */, &memoryInfo));
            return new InferenceSession(api, sessionHandle, new OrtHandle(memoryInfo, api.ReleaseMemoryInfo), modelName);
        }
        catch
        {
            sessionHandle.Dispose();
            throw;
        }
    }

    private static void ThrowLoadFailure(OrtApi api, nint status, string model)
    {
        if (status == 0)
        {
            return;
        }

        var error = api.ToException(status);
        throw new OrtException(error.Code, $"Cannot load model '{model}': {error.Message.Trim()}. Is it a complete ONNX file? Re-export or re-download it.", error);
    }

    private static OrtHandle CreateSessionOptions(OrtRuntime runtime, InferenceSessionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(options.InterOpThreads);
        var api = runtime.Api;
        nint raw;
        api.Check(api.CreateSessionOptions(&raw));
        var handle = new OrtHandle(raw, api.ReleaseSessionOptions);
        try
        {
            if (options.IntraOpThreads > 0)
            {
                api.Check(api.SetIntraOpNumThreads(raw, options.IntraOpThreads));
            }

            if (options.InterOpThreads > 0)
            {
                api.Check(api.SetInterOpNumThreads(raw, options.InterOpThreads));
            }

            api.Check(api.SetSessionGraphOptimizationLevel(raw, (int)options.OptimizationLevel));
            api.Check(options.EnableCpuMemArena ? api.EnableCpuMemArena(raw) : api.DisableCpuMemArena(raw));
            if (!options.AllowSpinning)
            {
                AddConfigEntry(api, raw, "session.intra_op.allow_spinning", "0");
                AddConfigEntry(api, raw, "session.inter_op.allow_spinning", "0");
            }

            if (options.Provider == ExecutionProvider.Cuda)
            {
                AppendCuda(runtime, raw, options.CudaDeviceId);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AddConfigEntry(OrtApi api, nint sessionOptions, string key, string value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key + "\0");
        var valueBytes = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* k = keyBytes)
        fixed (byte* v = valueBytes)
        {
            api.Check(api.AddSessionConfigEntry(sessionOptions, k, v));
        }
    }

    private static void AppendCuda(OrtRuntime runtime, nint sessionOptions, int deviceId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        var api = runtime.Api;
        nint cudaOptions;
        api.Check(api.CreateCudaProviderOptions(&cudaOptions));
        try
        {
            var keyBytes = "device_id\0"u8.ToArray();
            var valueBytes = Encoding.UTF8.GetBytes(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0");
            fixed (byte* key = keyBytes)
            fixed (byte* value = valueBytes)
            {
                var keys = stackalloc byte*[] { key };
                var values = stackalloc byte*[] { value };
                var status = api.UpdateCudaProviderOptions(cudaOptions, keys, values, 1);
                if (status == 0)
                {
                    status = api.SessionOptionsAppendExecutionProviderCudaV2(sessionOptions, cudaOptions);
                }

                if (status != 0)
                {
                    var error = api.ToException(status);
                    var folder = Path.GetDirectoryName(Path.GetFullPath(runtime.LibraryPath));
                    throw new OrtException(
                        OrtErrorCode.ProviderUnavailable,
                        $"CUDA execution provider unavailable (device {deviceId}): {FirstLine(error.Message)}. Put libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so (from the onnxruntime-linux-x64-gpu {OrtLibraryLocator.PinnedVersion} release) in {folder}, with CUDA 12 and cuDNN 9 installed, or use the CPU provider.",
                        error);
                }
            }
        }
        finally
        {
            api.ReleaseCudaProviderOptions(cudaOptions);
        }
    }

    private static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? trimmed : trimmed[..newline].Trim();
    }

    private OrtHandle CreateRunOptions()
    {
        nint runOptions;
        _api.Check(_api.CreateRunOptions(&runOptions));
        return new OrtHandle(runOptions, _api.ReleaseRunOptions);
    }

    private nint CreateInputValue(OrtInput input, void* data)
    {
        var shape = input.Shape.ToArray();
        nint value;
        fixed (long* shapePtr = shape)
        {
            _api.Check(_api.CreateTensorWithDataAsOrtValue(
                _cpuMemory.DangerousGetHandle(),
                data,
                (nuint)((long)input.ElementCount * input.ElementSize),
                shapePtr,
                (nuint)shape.Length,
                (int)input.ElementType,
                &value));
        }

        return value;
    }

    private void ValidateInputs(IReadOnlyList<OrtInput> inputs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var expected = Inputs.FirstOrDefault(m => m.Name == input.Name)
                ?? throw new OrtException(OrtErrorCode.InvalidArgument, $"Model '{ModelName}' has no input '{input.Name}'; its inputs are {Describe(Inputs)}.");
            if (!seen.Add(input.Name))
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Input '{input.Name}' of model '{ModelName}' was given twice.");
            }

            if (input.ElementType != expected.ElementType)
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Input '{input.Name}' of model '{ModelName}' must be {TensorElementTypes.Describe(expected.ElementType)}, got {TensorElementTypes.Describe(input.ElementType)}.");
            }

            var shape = input.Shape.ToArray();
            if (!ShapeMatches(expected.Dimensions, shape))
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Input '{input.Name}' of model '{ModelName}' must have shape {TensorElementTypes.DescribeShape(expected.Dimensions.ToArray())}, got {TensorElementTypes.DescribeShape(shape)}.");
            }

            long count = 1;
            foreach (var dim in shape)
            {
                count = checked(count * dim);
            }

            if (count != input.ElementCount)
            {
                throw new OrtException(OrtErrorCode.InvalidArgument, $"Input '{input.Name}' of model '{ModelName}' has shape {TensorElementTypes.DescribeShape(shape)} ({count} elements) but {input.ElementCount} elements of data.");
            }
        }

        var missing = Inputs.Where(m => !seen.Contains(m.Name)).Select(m => m.Name).ToArray();
        if (missing.Length > 0)
        {
            throw new OrtException(OrtErrorCode.InvalidArgument, $"Model '{ModelName}' needs input(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; its inputs are {Describe(Inputs)}.");
        }
    }

    private void ValidateOutputNames(IReadOnlyList<string> outputNames)
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
            if (actual[i] < 0 || (expected[i] >= 0 && expected[i] != actual[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(IEnumerable<TensorMetadata> tensors) => string.Join("; ", tensors);

    private OrtRunResult WrapOutputs(IReadOnlyList<string> names, nint[] values)
    {
        // Take ownership of every value first, so a failure below still releases all of them.
        var handles = new OrtHandle[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            handles[i] = new OrtHandle(values[i], _api.ReleaseValue);
            values[i] = 0;
        }

        try
        {
            var outputs = new OrtOutput[values.Length];
            for (var i = 0; i < handles.Length; i++)
            {
                var value = handles[i].DangerousGetHandle();
                int isTensor;
                _api.Check(_api.IsTensor(value, &isTensor));
                if (isTensor == 0)
                {
                    throw new OrtException(OrtErrorCode.NotImplemented, $"Output '{names[i]}' of model '{ModelName}' is not a tensor; this binding reads tensors only.");
                }

                nint info;
                _api.Check(_api.GetTensorTypeAndShape(value, &info));
                using var infoHandle = new OrtHandle(info, _api.ReleaseTensorTypeAndShapeInfo);
                var (elementType, shape) = ReadTensorInfo(info);
                nuint count;
                _api.Check(_api.GetTensorShapeElementCount(info, &count));
                void* data;
                _api.Check(_api.GetTensorMutableData(value, &data));
                outputs[i] = new OrtOutput(names[i], handles[i], elementType, shape, (long)count, data);
            }

            return new OrtRunResult(outputs);
        }
        catch
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }

            throw;
        }
    }

    private (TensorElementType, long[]) ReadTensorInfo(nint tensorInfo)
    {
        int elementType;
        _api.Check(_api.GetTensorElementType(tensorInfo, &elementType));
        nuint rank;
        _api.Check(_api.GetDimensionsCount(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* dimsPtr = dims)
        {
            _api.Check(_api.GetDimensions(tensorInfo, dimsPtr, rank));
        }

        return ((TensorElementType)elementType, dims);
    }

    private TensorMetadata[] ReadMetadata(bool isInput)
    {
        var session = _session.DangerousGetHandle();
        nuint count;
        _api.Check(isInput ? _api.SessionGetInputCount(session, &count) : _api.SessionGetOutputCount(session, &count));
        nint allocator;
        _api.Check(_api.GetAllocatorWithDefaultOptions(&allocator));
        var result = new TensorMetadata[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr;
            _api.Check(isInput ? _api.SessionGetInputName(session, i, allocator, &namePtr) : _api.SessionGetOutputName(session, i, allocator, &namePtr));
            var name = Marshal.PtrToStringUTF8((nint)namePtr) ?? string.Empty;
            _api.Check(_api.AllocatorFree(allocator, namePtr));

            nint typeInfo;
            _api.Check(isInput ? _api.SessionGetInputTypeInfo(session, i, &typeInfo) : _api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            using var typeInfoHandle = new OrtHandle(typeInfo, _api.ReleaseTypeInfo);
            int onnxType;
            _api.Check(_api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
            if (onnxType != OnnxTypeTensor)
            {
                result[i] = new TensorMetadata(name, TensorElementType.Undefined, Array.Empty<long>());
                continue;
            }

            nint tensorInfo;
            _api.Check(_api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
            var (elementType, dims) = ReadTensorInfo(tensorInfo);
            result[i] = new TensorMetadata(name, elementType, dims);
        }

        return result;
    }

    /// <summary>Sets the terminate flag of one run's RunOptions from a cancellation callback.</summary>
    private sealed class RunTerminator(OrtApi api, OrtHandle runOptions)
    {
        public void Terminate()
        {
            var added = false;
            try
            {
                runOptions.DangerousAddRef(ref added);
                var status = api.RunOptionsSetTerminate(runOptions.DangerousGetHandle());
                if (status != 0)
                {
                    api.ReleaseStatus(status);
                }
            }
            catch (ObjectDisposedException)
            {
                // The run already finished and released its options: nothing left to stop.
            }
            finally
            {
                if (added)
                {
                    runOptions.DangerousRelease();
                }
            }
        }
    }
}
