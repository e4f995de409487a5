namespace V2AStream.Onnx;

/// <summary>
/// Why an ONNX Runtime call failed. Values below 1000 are OrtErrorCode of the C API; the binding adds
/// its own reasons from 1000 up for failures that happen before ONNX Runtime is reached.
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

    /// <summary>No libonnxruntime could be found or loaded.</summary>
    LibraryNotFound = 1000,

    /// <summary>The library loaded but does not offer the C API version this binding needs.</summary>
    ApiVersionUnsupported = 1001,

    /// <summary>A requested execution provider (CUDA) is not available with this library.</summary>
    ProviderUnavailable = 1002,
}
