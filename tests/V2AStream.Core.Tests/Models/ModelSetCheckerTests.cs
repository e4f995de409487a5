using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Core.Models;
using V2AStream.Onnx;
using V2AStream.Testing;
using V2AStream.Testing.Onnx;

namespace V2AStream.Core.Tests.Models;

[Collection(OrtCollection.Name)]
public sealed class ModelSetCheckerTests(OrtSessionsFixture ort) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ModelSetChecker Checker(OrtSessionFactory? sessions) => new(new ModelSetCatalog([], []), sessions);

    [Fact]
    public void Check_ContractModelSet_Passes()
    {
        AudioLdmContractModels.WriteModelSet(_dir);

        var report = Checker(ort.Sessions).Check(ModelSetManifestReader.Read(_dir));

        Assert.True(report.Ok, string.Join("\n", report.Parts.Select(p => p.Message)));
        Assert.Contains(report.Parts, p => p.Part == "generator.unet" && p.Ok);
        Assert.Contains(report.Parts, p => p is { Part: "audio_embedder", Kind: "onnx-audio", Ok: true, Message: "waveform [?,480000] (10 s at 48000 Hz) -> audio_embeds 512-d" });
    }

    public static TheoryData<string, string, string> AudioTowerMismatches => new()
    {
        { "samples", "waveform", "input 'waveform' has shape [?,160000], expected [?,480000]" },
        { "name", "waveform", "has no input 'waveform'" },
    };

    [Theory]
    [MemberData(nameof(AudioTowerMismatches))]
    public void Check_MismatchedAudioTower_NamesFileAndTensor(string variant, string tensor, string detail)
    {
        var tower = variant == "samples" ? ClapContractModels.AudioTower(samples: 160000) : ClapContractModels.AudioTower(inputName: "input_values");
        AudioLdmContractModels.WriteModelSet(_dir, audioTower: tower);

        var report = Checker(ort.Sessions).Check(ModelSetManifestReader.Read(_dir));

        Assert.False(report.Ok);
        var failed = Assert.Single(report.Parts, p => !p.Ok);
        Assert.Equal(("audio_embedder", tensor), (failed.Part, failed.Tensor));
        Assert.EndsWith(ClapContractModels.AudioFile, failed.File, StringComparison.Ordinal);
        Assert.Contains(detail, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Builtin_Passes()
    {
        Assert.True(Checker(null).Check(ModelSetManifest.Builtin).Ok);
    }

    public static TheoryData<string, string, string, string> Mismatches => new()
    {
        { "unet-name", "unet.onnx", "sample", "has no input 'sample'" },
        { "unet-dtype", "unet.onnx", "timestep", "float64" },
        { "unet-shape", "unet.onnx", "class_labels", "[?,768]" },
        { "vae-shape", "vae_decoder.onnx", "mel", "[?,1,?,80]" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Check_MismatchedModel_NamesFileAndTensor(string variant, string file, string tensor, string detail)
    {
        var (unet, vae) = variant switch
        {
            "unet-name" => (AudioLdmContractModels.Unet(sampleName: "latents"), null),
            "unet-dtype" => (AudioLdmContractModels.Unet(TensorElementType.Double), null),
            "unet-shape" => (AudioLdmContractModels.Unet(conditionDim: 768), null),
            _ => ((byte[]?)null, AudioLdmContractModels.VaeDecoder(melBins: 80)),
        };
        AudioLdmContractModels.WriteModelSet(_dir, unet: unet, vaeDecoder: vae);

        var report = Checker(ort.Sessions).Check(ModelSetManifestReader.Read(_dir));

        Assert.False(report.Ok);
        var failed = Assert.Single(report.Parts, p => !p.Ok);
        Assert.Equal(tensor, failed.Tensor);
        Assert.EndsWith(file, failed.File, StringComparison.Ordinal);
        Assert.Contains(file, failed.Message, StringComparison.Ordinal);
        Assert.Contains(detail, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MissingFile_SaysMissing()
    {
        AudioLdmContractModels.WriteModelSet(_dir);
        File.Delete(Path.Combine(_dir, AudioLdmContractModels.UnetFile));

        var report = Checker(ort.Sessions).Check(ModelSetManifestReader.Read(_dir));

        Assert.Contains(report.Parts, p => !p.Ok && p.Part == "generator.unet" && p.Message.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_WithoutRuntime_ReportsRuntimeUnavailable()
    {
        AudioLdmContractModels.WriteModelSet(_dir);

        var report = Checker(null).Check(ModelSetManifestReader.Read(_dir));

        Assert.Contains(report.Parts, p => !p.Ok && p.Message.Contains("ONNX Runtime", StringComparison.Ordinal));
    }
}
