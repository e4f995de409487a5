namespace V2AStream.Onnx;

/// <summary>
/// An ONNX Runtime failure: every non-null OrtStatus becomes one, carrying ORT's code and message,
/// as do the binding's own checks (library discovery, input validation, providers).
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

    /// <summary>ORT's error code, or the binding's reason (from 1000 up).</summary>
    public OrtErrorCode Code { get; }
}
