using System.CommandLine;
using V2AStream.Onnx;

namespace V2AStream.Cli;

/// <summary>The <c>--device cpu|cuda[:N]</c> option that serve, run, embed and generate share.</summary>
internal static class DeviceOption
{
    public const string Name = "--device";

    public const string Description = "Where ONNX models run: cpu (default), cuda (GPU 0) or cuda:N; CUDA needs the CUDA build ('./v2a setup --gpu'), and './v2a doctor' says whether it is usable here.";

    /// <summary>The option, CPU unless given; a value that is not a device is a usage error.</summary>
    public static Option<OrtDevice> Create() => new(Name)
    {
        Description = Description,
        DefaultValueFactory = _ => OrtDevice.Cpu,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
            if (OrtDevice.TryParse(text, out var device))
            {
                return device;
            }

            result.AddError($"{Name} '{text}' is not valid: use cpu, cuda or cuda:N (N is the GPU's index, 0 for the first).");
            return OrtDevice.Cpu;
        },
    };
}
