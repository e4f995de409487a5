using System.Text.Json;
using Microsoft.ML.OnnxRuntime.Tensors;
using V2AStream.Onnx;
using V2AStream.Testing;
using V2AStream.Testing.Onnx;

namespace V2AStream.Tests.Cli;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Check_ContractSet_ExitsZero()
    {
        AudioLdmContractModels.WriteModelSet(_dir);

        var (code, output, error) = await CliRunner.RunAsync("models", "check", _dir);

        Assert.True(code == 0, error + output);
        Assert.Contains("generator.unet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MismatchedUnet_NamesFileAndTensor()
    {
        AudioLdmContractModels.WriteModelSet(_dir, unet: AudioLdmContractModels.Unet(conditionDim: 768));

        var (code, output, error) = await CliRunner.RunAsync("models", "check", _dir, "--json");

        Assert.Equal(1, code);
        Assert.Contains("unet.onnx", error, StringComparison.Ordinal);
        Assert.Contains("class_labels", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        var failed = json.RootElement.GetProperty("parts").EnumerateArray().Single(p => !p.GetProperty("ok").GetBoolean());
        Assert.Equal("class_labels", failed.GetProperty("tensor").GetString());
    }

    [Fact]
    public async Task Check_NotAModelSet_FailsWithOneLine()
    {
        var (code, _, error) = await CliRunner.RunAsync("models", "check", Path.Combine(_dir, "nothing"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_IncludesBuiltin()
    {
        var (code, output, _) = await CliRunner.RunAsync("models", "list", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Contains(json.RootElement.EnumerateArray(), s => s.GetProperty("name").GetString() == "builtin" && s.GetProperty("generator").GetString() == "builtin-procedural");
    }

    [SharedDataFact("models/mobilenetv2-12-int8-embedding.onnx")]
    public async Task CheckListDoctorAndEmbed_MobilenetWithItsWeightsInTheSharedFolder_Agree()
    {
        // The set's folder (models/mobilenet) has only the manifest: its weights are found in ../shared/data/models, the
        // last folder of the documented search order. Check, list, doctor and loading must all look there.
        var (checkCode, checkOutput, checkError) = await CliRunner.RunAsync("models", "check", "mobilenet");
        var listed = await CanLoadAsync("models", "list", "--json");
        var doctor = await CanLoadAsync("doctor", "--json");
        var clip = Path.Combine(_dir, "clip.mp4");
        await new Core.Media.FfmpegTool().RunAsync(["-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "2", "-pix_fmt", "yuv420p", clip], "a test clip", CancellationToken.None);
        var (embedCode, _, embedError) = await CliRunner.RunAsync("embed", clip, "--model-set", "mobilenet", "--out", Path.Combine(_dir, "emb.npy"));

        Assert.True(checkCode == 0, checkError + checkOutput);
        Assert.True(listed["mobilenet"], "models list says mobilenet cannot load");
        Assert.True(doctor["mobilenet"], "doctor says mobilenet cannot load");
        Assert.True(embedCode == 0, embedError);
    }

    [Fact]
    public async Task CheckListAndDoctor_EverySetTheCatalogLists_GiveTheSameVerdict()
    {
        var listed = await CanLoadAsync("models", "list", "--json");
        var doctor = await CanLoadAsync("doctor", "--json");

        Assert.Equal(listed.OrderBy(s => s.Key, StringComparer.Ordinal), doctor.OrderBy(s => s.Key, StringComparer.Ordinal));
        foreach (var (name, canLoad) in listed)
        {
            var (code, output, error) = await CliRunner.RunAsync("models", "check", name);
            Assert.True(code == (canLoad ? 0 : 1), $"{name}: list says can_load {canLoad}, check exits {code}: {error}{output}");
        }
    }

    /// <summary>Each set's can_load as a command's --json output (models list, doctor) reports it.</summary>
    private static async Task<Dictionary<string, bool>> CanLoadAsync(params string[] args)
    {
        var (_, output, _) = await CliRunner.RunAsync(args);
        using var json = JsonDocument.Parse(output);
        var sets = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("model_sets");
        return sets.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("can_load").GetBoolean(), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Check_WrongTimestepDtype_Fails()
    {
        AudioLdmContractModels.WriteModelSet(_dir, unet: AudioLdmContractModels.Unet(TensorElementType.Double));

        var (code, _, error) = await CliRunner.RunAsync("models", "check", _dir);

        Assert.Equal(1, code);
        Assert.Contains("timestep", error, StringComparison.Ordinal);
    }
}
