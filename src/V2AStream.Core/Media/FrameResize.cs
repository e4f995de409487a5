namespace V2AStream.Core.Media;

/// <summary>How a decoded picture becomes the embedder's input size.</summary>
public enum FrameResize
{
    /// <summary>CLIP's preprocessing: shorter side to the target (bicubic), then a centre crop.</summary>
    Clip,

    /// <summary>Resize straight to width x height (bicubic), ignoring the aspect ratio.</summary>
    Plain,
}
