namespace V2AStream.Core.Models;

/// <summary>The manifest's "embedder" part as the builtin-pixel kind (<see cref="Dim"/> only) and the onnx-image kind read it.</summary>
public sealed record EmbedderSpec : ModelPartSpec
{
    /// <summary>The ONNX file (onnx-image).</summary>
    public string? File { get; init; }

    /// <summary>The image input's name, e.g. "input" or "pixel_values".</summary>
    public string? Input { get; init; }

    /// <summary>The embedding output's name, e.g. "embedding" or "image_embeds".</summary>
    public string? Output { get; init; }

    /// <summary>The square input size in pixels (224 for CLIP ViT-B/32 and MobileNetV2).</summary>
    public int Size { get; init; } = 224;

    /// <summary>"clip" (shorter side to Size, bicubic, centre crop) or "plain" (resize to Size x Size).</summary>
    public string Resize { get; init; } = "clip";

    /// <summary>Per-channel RGB mean, applied after scaling to [0,1].</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel RGB standard deviation.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Length of one embedding.</summary>
    public int Dim { get; init; }
}
