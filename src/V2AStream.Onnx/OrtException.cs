namespace V2AStream.Onnx;

/// <summary>
/// An ONNX Runtime failure, with a one-line message that names the model file: every OnnxRuntimeException our
/// wrappers meet becomes one (ORT's code kept), as do their own checks (inputs, devices, the native library).
/// </summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public OrtException(OrtErrorCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>ORT's error code, or our reason (from 1000 up).</summary>
    public OrtErrorCode Code { get; }
}
