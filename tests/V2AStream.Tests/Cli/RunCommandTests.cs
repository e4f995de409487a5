using System.Text.Json;
using V2AStream.Core.Media;
using V2AStream.Testing.Models;
using V2AStream.Testing.Onnx;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_ThreeSecondClip_WavHasExactlyTheSamplesOfItsDuration()
    {
        var clip = Path.Combine(_dir, "clip.mp4");
        await DaemonFixture.FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);
        var wav = Path.Combine(_dir, "out.wav");

        var (code, output, error) = await CliRunner.RunAsync("run", clip, "--out", wav, "--json");

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        using var json = JsonDocument.Parse(lines[^1]);
        var summary = json.RootElement.GetProperty("summary");
        var audio = WavReader.Read(wav);
        Assert.Equal((16000, 1, 48000L), (audio.SampleRate, audio.Channels, audio.Frames));
        Assert.Equal(audio.Frames, summary.GetProperty("samples").GetInt64());
        Assert.Equal(1, summary.GetProperty("scenes").GetInt32());
        Assert.Equal(0, JsonDocument.Parse(lines[0]).RootElement.GetProperty("scene").GetProperty("index").GetInt32());
        Assert.Equal([clip, wav], Directory.GetFiles(_dir).Order());
    }

    [Fact]
    public async Task Run_SetWithAnAudioEmbedderItDoesNotUse_LoadsOnlyThePipelineParts()
    {
        // The CLAP tower is for 'v2a dataset'; a stream needs only the embedder, mapper and generator.
        var set = TestKinds.WriteSet(_dir, "with-clap", extraParts: ClapContractModels.ManifestPart);
        var clip = Path.Combine(_dir, "clip.mp4");
        await DaemonFixture.FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip]);

        var (code, _, error) = await CliRunner.RunAsync("run", clip, "--out", Path.Combine(_dir, "out.wav"), "--model-set", set);

        Assert.True(code == 0, error);
        (code, var output, _) = await CliRunner.RunAsync("models", "check", set);
        Assert.Equal(1, code);
        Assert.Contains("clap_audio.onnx", output, StringComparison.Ordinal);
    }
}
