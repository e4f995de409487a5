using V2AStream.Core.Media;

namespace V2AStream.Tests.Interop;

/// <summary>samples/node/client.js, @grpc/grpc-js from npm with the .proto loaded at run time, against the real daemon.</summary>
[Collection(InteropCollection.Name)]
public sealed class NodeClientTests(InteropFixture daemon)
{
    [Fact]
    public async Task Info_FromNode_BuiltinSetAndLimits()
    {
        var run = await SampleClient.NodeAsync("--server", daemon.Server, "--json", "info");

        run.AssertSucceeded();
        var info = run.Single("info");
        Assert.Equal("builtin", info.GetProperty("default_model_set").GetString());
        Assert.Contains(info.GetProperty("model_sets").EnumerateArray(), s => s.GetProperty("name").GetString() == "builtin" && s.GetProperty("available").GetBoolean());
        Assert.Equal(3, info.GetProperty("limits").GetProperty("max_streams").GetInt32());
    }

    [Fact]
    public async Task Generate_FromNode_WavHasExactSamplesAndScenesPrinted()
    {
        var wav = daemon.OutputPath("node.wav");

        var run = await SampleClient.NodeAsync("--server", daemon.Server, "generate", daemon.Clip, "--out", wav);

        run.AssertSucceeded();
        var audio = WavReader.Read(wav);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal((long)Math.Round(InteropFixture.ClipSeconds * 16000), audio.Frames);
        var starts = run.SceneStarts();
        Assert.Equal([0, 1], starts.Select(s => s.Index));
        Assert.InRange(starts[1].Seconds, InteropFixture.SceneSeconds - 0.25, InteropFixture.SceneSeconds + 0.25);
        Assert.Contains($"-> {audio.Frames} samples, 2 scenes", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_StereoFromNode_SameAudioAsPython()
    {
        var fromNode = daemon.OutputPath("node-stereo.wav");
        var fromPython = daemon.OutputPath("python-stereo.wav");

        var node = await SampleClient.NodeAsync("--server", daemon.Server, "generate", daemon.Clip, "--out", fromNode, "--sample-rate", "48000", "--channels", "2", "--seed", "7");
        var python = await SampleClient.PythonAsync("--server", daemon.Server, "generate", daemon.Clip, "--out", fromPython, "--sample-rate", "48000", "--channels", "2", "--seed", "7");

        node.AssertSucceeded();
        python.AssertSucceeded();
        Assert.Equal(File.ReadAllBytes(fromPython), File.ReadAllBytes(fromNode));
        Assert.Equal(2, WavReader.Read(fromNode).Channels);
    }
}
