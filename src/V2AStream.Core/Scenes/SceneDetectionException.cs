namespace V2AStream.Core.Scenes;

/// <summary>Scene detection refused its options or input; <see cref="Reason"/> says which rule was broken.</summary>
public sealed class SceneDetectionException : Exception
{
    public SceneDetectionException(SceneDetectionError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>The rule that was broken.</summary>
    public SceneDetectionError Reason { get; }
}
