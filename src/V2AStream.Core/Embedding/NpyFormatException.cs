namespace V2AStream.Core.Embedding;

/// <summary>A .npy file that <see cref="NpyArray"/> cannot read; <see cref="Reason"/> says what is wrong with it.</summary>
public sealed class NpyFormatException : Exception
{
    public NpyFormatException(NpyFormatError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>What is wrong with the file.</summary>
    public NpyFormatError Reason { get; }
}
