using Microsoft.ML.OnnxRuntime;
using V2AStream.Onnx.Cuda;

namespace V2AStream.Onnx;

/// <summary>
/// Opens ONNX models as <see cref="ModelSession"/>s on one device: the one place where ORT's SessionOptions are built
/// (threads, optimizations, arena, spinning, the CUDA provider). Whatever loads a model set owns one and hands it to
/// every part it opens, so all sessions of the set run on the device the settings name. Thread-safe.
/// </summary>
public sealed class OrtSessionFactory
{
    private OrtSessionFactory(OrtRuntime runtime, OrtDevice device)
    {
        Runtime = runtime;
        Device = device;
    }

    public OrtRuntime Runtime { get; }

    public OrtDevice Device { get; }

    /// <summary>
    /// Loads ONNX Runtime and checks <paramref name="device"/>: a CUDA device that cannot run here fails now with an
    /// <see cref="OrtException"/> (ProviderUnavailable) whose one line says what is missing.
    /// </summary>
    public static OrtSessionFactory Create(OrtDevice device) => Create(OrtRuntime.Load(), device, new CudaProbe());

    /// <summary>
    /// The factory a model set needs: made when the set runs ONNX models, and whenever the device is not the CPU (so a
    /// CUDA request on a machine without CUDA fails with the reason even for a set without ONNX models); otherwise null,
    /// and ONNX Runtime is not loaded at all.
    /// </summary>
    public static OrtSessionFactory? CreateIfNeeded(bool runsOnnxModels, OrtDevice device) =>
        runsOnnxModels || !device.IsCpu ? Create(device) : null;

    /// <summary>As <see cref="Create(OrtDevice)"/>, with the runtime and the CUDA checks given.</summary>
    public static OrtSessionFactory Create(OrtRuntime runtime, OrtDevice device, CudaProbe cuda)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(cuda);
        if (!device.IsCpu && cuda.Check(runtime, device.Id) is { Usable: false } status)
        {
            throw Unavailable(device, status.Detail);
        }

        return new OrtSessionFactory(runtime, device);
    }

    /// <summary>
    /// Loads the model file at <paramref name="modelPath"/>; throws <see cref="OrtException"/> naming the file when it is
    /// missing or ORT cannot load it.
    /// </summary>
    public ModelSession Open(string modelPath, SessionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new OrtException(OrtErrorCode.NoSuchFile, $"Model file '{modelPath}' does not exist. Check the path, or the model set's manifest ('v2a models check DIR').");
        }

        var fullPath = Path.GetFullPath(modelPath);
        return Open(options => new InferenceSession(fullPath, options), modelPath, Path.GetFileName(modelPath), settings);
    }

    /// <summary>Loads a model from its serialized bytes (a ModelProto); <paramref name="name"/> stands for it in messages.</summary>
    public ModelSession Open(byte[] model, string name, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Open(options => new InferenceSession(model, options), name, name, settings);
    }

    private ModelSession Open(Func<SessionOptions, InferenceSession> create, string shownPath, string name, SessionSettings? settings)
    {
        using var options = CreateOptions(settings ?? SessionSettings.Default);
        InferenceSession session;
        try
        {
            session = create(options);
        }
        catch (OnnxRuntimeException ex)
        {
            var (code, message) = OrtErrors.Parse(ex);
            throw new OrtException(code, $"Cannot load model '{shownPath}': {message}. Is it a complete ONNX file? Re-export or re-download it.", ex);
        }

        try
        {
            return new ModelSession(session, name, Device);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private SessionOptions CreateOptions(SessionSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settings.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.InterOpThreads);
        var options = new SessionOptions();
        try
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
            options.InterOpNumThreads = settings.InterOpThreads;
            options.GraphOptimizationLevel = settings.OptimizationLevel;
            options.EnableCpuMemArena = settings.EnableCpuMemArena;
            if (!settings.AllowSpinning)
            {
                options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            }

            if (!Device.IsCpu)
            {
                AppendCuda(options);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private void AppendCuda(SessionOptions options)
    {
        try
        {
            options.AppendExecutionProvider_CUDA(Device.Id);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            // CudaProbe found everything it checks for; ORT still could not start the provider.
            var reason = ex is OnnxRuntimeException ort ? OrtErrors.Parse(ort).Message : OrtErrors.FirstLine(ex.Message);
            throw Unavailable(Device, $"ORT's CUDA provider did not start ({reason}); './v2a doctor' lists what it needs");
        }
    }

    private static OrtException Unavailable(OrtDevice device, string why) =>
        new(OrtErrorCode.ProviderUnavailable, $"Device {device} is not usable: {why}. Or run on the CPU with --device cpu.");
}
