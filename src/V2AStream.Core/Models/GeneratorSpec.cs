namespace V2AStream.Core.Models;

/// <summary>The manifest's "generator" part as the builtin-procedural and audioldm kinds read it.</summary>
public sealed record GeneratorSpec : ModelPartSpec
{
    /// <summary>AudioLDM UNet ONNX file.</summary>
    public string? Unet { get; init; }

    /// <summary>AudioLDM VAE decoder ONNX file.</summary>
    public string? VaeDecoder { get; init; }

    /// <summary>HiFi-GAN vocoder ONNX file.</summary>
    public string? Vocoder { get; init; }

    /// <summary>The unconditional (empty-text CLAP) 512-float embedding file.</summary>
    public string? Unconditional { get; init; }

    /// <summary>The VAE's latent scaling factor (audioldm-s-full: 0.9227914214134216).</summary>
    public double? ScalingFactor { get; init; }

    /// <summary>DDIM steps per block.</summary>
    public int Steps { get; init; } = 25;

    /// <summary>Classifier-free guidance scale.</summary>
    public float Guidance { get; init; } = 4.5f;

    /// <summary>Output sample rate in Hz.</summary>
    public int SampleRate { get; init; } = 16000;
}
