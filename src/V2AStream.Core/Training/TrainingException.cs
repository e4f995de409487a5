namespace V2AStream.Core.Training;

/// <summary>A dataset or training run that cannot be used, with the file at fault where there is one.</summary>
public sealed class TrainingException : Exception
{
    public TrainingException(TrainingErrorReason reason, string message, string? file = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        File = file;
    }

    public TrainingErrorReason Reason { get; }

    /// <summary>The file at fault, when there is one.</summary>
    public string? File { get; }
}
