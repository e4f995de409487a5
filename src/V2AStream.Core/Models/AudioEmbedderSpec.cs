namespace V2AStream.Core.Models;

/// <summary>
/// The manifest's optional "audio_embedder" part as the onnx-audio kind reads it: a CLAP audio tower that takes a fixed
/// window of mono waveform (<see cref="Samples"/> values at <see cref="SampleRate"/> Hz, in [-1, 1]) and gives one
/// <see cref="Dim"/>-long embedding per window.
/// </summary>
public sealed record AudioEmbedderSpec : ModelPartSpec
{
    /// <summary>The ONNX file, e.g. "clap_audio.onnx".</summary>
    public string? File { get; init; }

    /// <summary>The waveform input's name ("waveform" in export_clap.py).</summary>
    public string Input { get; init; } = "waveform";

    /// <summary>The embedding output's name ("audio_embeds").</summary>
    public string Output { get; init; } = "audio_embeds";

    /// <summary>Samples per second of the waveform (CLAP: 48000).</summary>
    public int SampleRate { get; init; } = 48000;

    /// <summary>Samples in one window (CLAP: 480000, its 10 s max_length).</summary>
    public int Samples { get; init; } = 480000;

    /// <summary>Length of one embedding (CLAP's projection: 512).</summary>
    public int Dim { get; init; } = 512;
}
