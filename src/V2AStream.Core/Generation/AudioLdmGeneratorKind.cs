using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>
/// "audioldm": the <see cref="AudioLdmGenerator"/>: "unet", "vae_decoder", "vocoder" (ONNX), "unconditional"
/// (safetensors), "scaling_factor", "steps", "guidance", "sample_rate" (16000). Its check opens each file on its own
/// against its export contract, so one run names every file at fault.
/// </summary>
internal sealed class AudioLdmGeneratorKind : ModelPartKind<GeneratorSpec, IAudioGenerator>
{
    public const string KindName = "audioldm";

    public override ModelPartSlot Slot => ModelPartSlot.Generator;

    public override string Name => KindName;

    public override bool NeedsOnnxRuntime => true;

    public override IAudioGenerator Create(GeneratorSpec spec, ModelPartContext context) =>
        AudioLdmGenerator.Load(AudioLdmFiles.Resolve(spec, context, this), spec, context, this);

    public override ModelPartDimensions Dimensions(IAudioGenerator part) => new(part.ConditionDimension, null);

    public override IEnumerable<(string Field, string? FileName)> FileFields(GeneratorSpec spec) =>
        [("unet", spec.Unet), ("vae_decoder", spec.VaeDecoder), ("vocoder", spec.Vocoder), ("unconditional", spec.Unconditional)];

    public override ModelPartReport Check(GeneratorSpec spec, ModelPartContext context)
    {
        var checks = new List<ModelPartCheck>
        {
            Guard(Slot.Name, null, () =>
            {
                AudioLdmFiles.CheckFields(spec);
                return $"scaling factor {spec.ScalingFactor}, {spec.Steps} steps, guidance {spec.Guidance}";
            }),
            CheckModel(context, "unet", spec.Unet, model => UnetSession.Validate(model.File, model.Session.Inputs, model.Session.Outputs)),
            CheckModel(context, "vae_decoder", spec.VaeDecoder, model => VaeDecoderSession.Validate(model.File, model.Session.Inputs, model.Session.Outputs)),
            CheckModel(context, "vocoder", spec.Vocoder, model => VocoderSession.Validate(model.File, model.Session.Inputs, model.Session.Outputs)),
            Guard($"{Slot}.unconditional", null, () =>
            {
                _ = AudioLdmFiles.ReadUnconditional(context.ResolveFile(this, spec.Unconditional, "unconditional"));
                return $"{UnetSession.ConditionDimension} floats";
            }),
        };
        return new ModelPartReport(checks, new ModelPartDimensions(UnetSession.ConditionDimension, null));
    }

    private ModelPartCheck CheckModel(ModelPartContext context, string field, string? file, Action<(string File, ModelSession Session)> validate) =>
        Guard($"{Slot}.{field}", file, () =>
        {
            var path = context.ResolveFile(this, file, field);
            using var session = context.OpenModel(this, path);
            validate((path, session));
            return string.Join("; ", session.Inputs) + " -> " + string.Join("; ", session.Outputs);
        });

    private ModelPartCheck Guard(string part, string? file, Func<string> check)
    {
        try
        {
            return new ModelPartCheck(part, Name, file, true, check());
        }
        catch (ModelSetException ex)
        {
            return ModelPartCheck.Failed(part, Name, file, ex);
        }
    }
}
