namespace V2AStream.Core.Models;

/// <summary>A model set that cannot be used, with the file and tensor at fault where there is one.</summary>
public sealed class ModelSetException : Exception
{
    public ModelSetException(ModelSetErrorReason reason, string message, string? file = null, string? tensor = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        File = file;
        Tensor = tensor;
    }

    public ModelSetErrorReason Reason { get; }

    /// <summary>The file at fault, when there is one.</summary>
    public string? File { get; }

    /// <summary>The tensor at fault, when there is one.</summary>
    public string? Tensor { get; }
}
