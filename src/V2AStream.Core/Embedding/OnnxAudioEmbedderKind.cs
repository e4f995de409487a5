using System.Globalization;
using V2AStream.Core.Models;

namespace V2AStream.Core.Embedding;

/// <summary>
/// "onnx-audio" in the optional "audio_embedder" slot: a CLAP audio tower as the <see cref="OnnxAudioEmbedder"/>: "file",
/// "input" (waveform), "output" (audio_embeds), "sample_rate" (48000), "samples" (480000), "dim" (512). Checked by
/// building it: the model's input and output against the manifest. Sets without the part load as before.
/// </summary>
internal sealed class OnnxAudioEmbedderKind : ModelPartKind<AudioEmbedderSpec, IAudioEmbedder>
{
    public const string KindName = "onnx-audio";

    public override ModelPartSlot Slot => IAudioEmbedder.Slot;

    public override string Name => KindName;

    public override bool NeedsOnnxRuntime => true;

    public override IAudioEmbedder Create(AudioEmbedderSpec spec, ModelPartContext context)
    {
        var path = context.ResolveFile(this, spec.File, "file");
        return OnnxAudioEmbedder.Create(context.OpenModel(this, path), spec, path);
    }

    public override IEnumerable<(string Field, string? FileName)> FileFields(AudioEmbedderSpec spec) => [("file", spec.File)];

    public override ModelPartDimensions Dimensions(IAudioEmbedder part) => new(null, part.Dim);

    protected override void Validate(AudioEmbedderSpec spec, string manifestPath) => OnnxAudioEmbedder.CheckSpec(spec, manifestPath);

    protected override string Describe(AudioEmbedderSpec spec, IAudioEmbedder part) =>
        string.Create(CultureInfo.InvariantCulture, $"{spec.Input} [?,{spec.Samples}] ({spec.Samples / (double)spec.SampleRate:0.##} s at {spec.SampleRate} Hz) -> {spec.Output} {spec.Dim}-d");
}
