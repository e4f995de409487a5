using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx;

namespace V2AStream.Core.Generation;

/// <summary>
/// AudioLDM's UNet (diffusers UNet2DConditionModel exported to ONNX): sample [2B,8,T,16] float32,
/// timestep (float32, int64 or int32; a scalar, [1] or [2B]; read from the model), class_labels [2B,512]
/// float32 (the CLAP condition) -> one output [2B,8,T,16], the predicted noise.
/// </summary>
internal sealed class UnetSession : IDisposable
{
    public const string SampleName = "sample";
    public const string TimestepName = "timestep";
    public const string ClassLabelsName = "class_labels";
    public const int LatentChannels = 8;
    public const int LatentFrequencies = 16;
    public const int ConditionDimension = 512;

    private static readonly TensorElementType[] TimestepTypes = [TensorElementType.Float, TensorElementType.Int64, TensorElementType.Int32];

    private readonly TensorMetadata _timestep;
    private readonly string _outputName;

    public UnetSession(ModelSession model, string file)
    {
        Model = model;
        (_timestep, var output) = Validate(file, model.Inputs, model.Outputs);
        _outputName = output.Name;
    }

    public ModelSession Model { get; }

    /// <summary>Checks the model's inputs and outputs against the contract; returns the timestep input and the output.</summary>
    public static (TensorMetadata Timestep, TensorMetadata Output) Validate(string file, IReadOnlyList<TensorMetadata> inputs, IReadOnlyList<TensorMetadata> outputs)
    {
        TensorContract.Require(file, "input", inputs, SampleName, [TensorElementType.Float], [-1, LatentChannels, -1, LatentFrequencies]);
        TensorContract.Require(file, "input", inputs, ClassLabelsName, [TensorElementType.Float], [-1, ConditionDimension]);
        var timestep = inputs.FirstOrDefault(t => t.Name == TimestepName);
        if (timestep is not null && timestep.Dimensions.Count > 1)
        {
            throw TensorContract.Mismatch(file, TimestepName, $"input '{TimestepName}' must be a scalar or a vector, it has {timestep.Dimensions.Count} dimensions");
        }

        timestep = TensorContract.Require(file, "input", inputs, TimestepName, TimestepTypes, timestep?.Dimensions.Count == 1 ? [-1] : []);
        var extra = inputs.FirstOrDefault(t => t.Name is not (SampleName or TimestepName or ClassLabelsName));
        if (extra is not null)
        {
            throw TensorContract.Mismatch(file, extra.Name, $"unexpected input '{extra.Name}'; the UNet takes {SampleName}, {TimestepName} and {ClassLabelsName}");
        }

        if (outputs.Count != 1)
        {
            throw TensorContract.Mismatch(file, outputs.Count == 0 ? "(none)" : outputs[1].Name, $"has {outputs.Count} outputs; the UNet must have exactly one (the noise prediction)");
        }

        var output = outputs[0];
        if (output.ElementType != TensorElementType.Float)
        {
            throw TensorContract.Mismatch(file, output.Name, $"output '{output.Name}' is {TensorElementTypes.Describe(output.ElementType)}, expected float32");
        }

        TensorContract.RequireShape(file, "output", output, [-1, LatentChannels, -1, LatentFrequencies]);
        return (timestep, output);
    }

    /// <summary>A binding for one block's steps: <paramref name="classLabels"/> [2B,512] in, the noise prediction out to <paramref name="noise"/>; both stay bound.</summary>
    public OrtIoBinding Bind(OrtValue classLabels, OrtValue noise)
    {
        var binding = Model.Session.CreateIoBinding();
        binding.BindInput(ClassLabelsName, classLabels);
        binding.BindOutput(_outputName, noise);
        return binding;
    }

    /// <summary>One step: predicts the noise for <paramref name="sample"/> [2B,8,T,16] at <paramref name="timestep"/> into the bound output.</summary>
    public void Predict(OrtIoBinding binding, OrtValue sample, OrtValue timestep, CancellationToken cancellationToken)
    {
        binding.BindInput(SampleName, sample);
        binding.BindInput(TimestepName, timestep);
        Model.Run(binding, cancellationToken);
    }

    /// <summary><paramref name="timestep"/> as the model takes it (its element type; a scalar, [1] or [<paramref name="batch"/>]), in CPU memory.</summary>
    public OrtValue Timestep(int timestep, int batch)
    {
        long[] shape = _timestep.Dimensions.Count == 0 ? [] : [_timestep.Dimensions[0] == 1 ? 1 : batch];
        var count = shape.Length == 0 ? 1 : (int)shape[0];
        return _timestep.ElementType switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((float)timestep, count).ToArray(), shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((long)timestep, count).ToArray(), shape),
            _ => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(timestep, count).ToArray(), shape),
        };
    }

    public void Dispose() => Model.Dispose();
}
