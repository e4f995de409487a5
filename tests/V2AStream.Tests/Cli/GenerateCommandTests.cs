using V2AStream.Core.Media;
using V2AStream.Onnx;
using V2AStream.Onnx.Cuda;
using V2AStream.Testing.Onnx;

namespace V2AStream.Tests.Cli;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-generate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("7.3", 116800)]
    [InlineData("0.01", 160)]
    [InlineData("2.5", 40000)]
    public async Task Generate_Builtin_WritesExactlyRoundedSampleCount(string seconds, long samples)
    {
        var condition = Npy("c.npy", CliRunner.Vector(1, 512), CliRunner.Vector(2, 512));
        var output = Path.Combine(_dir, "out.wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", "builtin", "--condition", condition, "--seconds", seconds, "--seed", "4", "--out", output);

        Assert.True(code == 0, error);
        var audio = WavReader.Read(output);
        Assert.Equal((16000, 1, samples), (audio.SampleRate, audio.Channels, audio.Frames));
    }

    [Fact]
    public async Task Generate_ContractAudioLdmSet_WritesAudio()
    {
        var set = AudioLdmContractModels.WriteModelSet(Path.Combine(_dir, "set"), steps: 2);
        var output = Path.Combine(_dir, "ldm.wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", set, "--condition", Npy("c.npy", CliRunner.Vector(3, 512)), "--seconds", "3", "--out", output);

        Assert.True(code == 0, error);
        Assert.Equal(48000, WavReader.Read(output).Frames);
    }

    [Fact]
    public async Task Generate_ContractAudioLdmSetOnTheCpuDevice_WritesAudio()
    {
        var set = AudioLdmContractModels.WriteModelSet(Path.Combine(_dir, "set"), steps: 2);
        var output = Path.Combine(_dir, "ldm.wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", set, "--condition", Npy("c.npy", CliRunner.Vector(3, 512)), "--seconds", "1", "--out", output, "--device", "cpu");

        Assert.True(code == 0, error);
        Assert.Equal(16000, WavReader.Read(output).Frames);
    }

    [Fact]
    public async Task Generate_CudaDeviceWhereCudaIsNotUsable_FailsWithOneLineSayingWhyAndNoFile()
    {
        var cuda = new CudaProbe().Check(OrtRuntime.Load(), 0);
        if (cuda.Usable)
        {
            return;
        }

        var set = AudioLdmContractModels.WriteModelSet(Path.Combine(_dir, "set"), steps: 2);
        var output = Path.Combine(_dir, "gpu.wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", set, "--condition", Npy("c.npy", CliRunner.Vector(3, 512)), "--seconds", "1", "--out", output, "--device", "cuda");

        Assert.Equal(1, code);
        Assert.Equal($"error: Device cuda:0 is not usable: {cuda.Detail}. Or run on the CPU with --device cpu.", error.Trim());
        AssertNoWav();
    }

    [Fact]
    public async Task Generate_UnknownDevice_IsAUsageError()
    {
        var (code, _, error) = await CliRunner.RunAsync("generate", "--condition", Npy("c.npy", CliRunner.Vector(3, 512)), "--seconds", "1", "--out", Path.Combine(_dir, "x.wav"), "--device", "gpu");

        Assert.Equal(2, code);
        Assert.Contains("--device 'gpu' is not valid: use cpu, cuda or cuda:N", error, StringComparison.Ordinal);
        AssertNoWav();
    }

    [Fact]
    public async Task Generate_WrongConditionDimension_FailsWithOneLineAndNoFile()
    {
        var set = AudioLdmContractModels.WriteModelSet(Path.Combine(_dir, "set"), steps: 2);
        var output = Path.Combine(_dir, "bad.wav");

        var (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", set, "--condition", Npy("c.npy", CliRunner.Vector(3, 1280)), "--seconds", "3", "--out", output);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("512", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        AssertNoWav();
    }

    [Fact]
    public async Task Generate_SetWithMissingFile_NamesItAndWritesNothing()
    {
        var set = AudioLdmContractModels.WriteModelSet(Path.Combine(_dir, "set"), steps: 2);
        File.Delete(Path.Combine(set, AudioLdmContractModels.VaeDecoderFile));

        var (code, _, error) = await CliRunner.RunAsync("generate", "--model-set", set, "--condition", Npy("c.npy", CliRunner.Vector(3, 512)), "--seconds", "3", "--out", Path.Combine(_dir, "x.wav"));

        Assert.Equal(1, code);
        Assert.Contains(AudioLdmContractModels.VaeDecoderFile, error, StringComparison.Ordinal);
        AssertNoWav();
    }

    [Fact]
    public async Task Generate_NonFiniteCondition_Fails()
    {
        var values = CliRunner.Vector(1, 512);
        values[10] = float.PositiveInfinity;

        var (code, _, error) = await CliRunner.RunAsync("generate", "--condition", Npy("c.npy", values), "--seconds", "1", "--out", Path.Combine(_dir, "x.wav"));

        Assert.Equal(1, code);
        Assert.Contains("non-finite", error, StringComparison.Ordinal);
        AssertNoWav();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("NaN")]
    public async Task Generate_SecondsNotPositive_IsBadUsage(string seconds)
    {
        var (code, _, error) = await CliRunner.RunAsync("generate", "--condition", Npy("c.npy", CliRunner.Vector(1, 512)), "--seconds", seconds, "--out", Path.Combine(_dir, "x.wav"));

        Assert.Equal(2, code);
        Assert.Contains("--seconds", error, StringComparison.Ordinal);
        AssertNoWav();
    }

    private string Npy(string name, params float[][] rows)
    {
        var path = Path.Combine(_dir, name);
        CliRunner.WriteNpy(path, rows);
        return path;
    }

    private void AssertNoWav() =>
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".wav", StringComparison.Ordinal) || f.EndsWith(".partial", StringComparison.Ordinal));
}
