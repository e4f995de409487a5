namespace V2AStream.Onnx;

/// <summary>
/// Why an ONNX Runtime call failed. Values below 1000 are ONNX Runtime's own codes (the "[ErrorCode:...]" of its
/// messages); from 1000 up are reasons found before ONNX Runtime is reached.
/// </summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    ExecutionProviderFailure = 11,
    ModelLoadCanceled = 12,
    ModelRequiresCompilation = 13,
    NotFound = 14,

    /// <summary>The native ONNX Runtime library could not be loaded.</summary>
    LibraryNotFound = 1000,

    /// <summary>A requested device (CUDA) is not usable on this machine or with this build.</summary>
    ProviderUnavailable = 1002,
}
