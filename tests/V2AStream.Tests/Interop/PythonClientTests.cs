using System.Globalization;
using V2AStream.Core.Media;

namespace V2AStream.Tests.Interop;

/// <summary>samples/python/v2a_client.py, Debian's python3-grpcio (C core), against the real daemon.</summary>
[Collection(InteropCollection.Name)]
public sealed class PythonClientTests(InteropFixture daemon)
{
    [Fact]
    public async Task Info_FromPython_BuiltinSetAndLimits()
    {
        var run = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "info");

        run.AssertSucceeded();
        var info = run.Single("info");
        Assert.Equal("builtin", info.GetProperty("default_model_set").GetString());
        Assert.Contains(info.GetProperty("model_sets").EnumerateArray(), s => s.GetProperty("name").GetString() == "builtin" && s.GetProperty("available").GetBoolean());
        Assert.Equal(3, info.GetProperty("limits").GetProperty("max_streams").GetInt32());
        Assert.True(info.GetProperty("limits").GetProperty("source_roots_configured").GetBoolean());
    }

    [Fact]
    public async Task Generate_FromPython_WavHasExactSamplesAndScenesPrinted()
    {
        var wav = daemon.OutputPath("python.wav");

        var run = await SampleClient.PythonAsync("--server", daemon.Server, "generate", daemon.Clip, "--out", wav);

        run.AssertSucceeded();
        var audio = WavReader.Read(wav);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal((long)Math.Round(InteropFixture.ClipSeconds * 16000), audio.Frames);
        var starts = run.SceneStarts();
        Assert.Equal([0, 1], starts.Select(s => s.Index));
        Assert.Equal(0, starts[0].Seconds);
        Assert.InRange(starts[1].Seconds, InteropFixture.SceneSeconds - 0.25, InteropFixture.SceneSeconds + 0.25);
        Assert.Contains($"{InteropFixture.ClipSeconds:F3} s of media -> {audio.Frames} samples, 2 scenes", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yuv420p")]
    [InlineData("rgb24")]
    public async Task Generate_RawFramesFromPython_SameScenesAndSamplesAsTheFilesBytes(string pixelFormat)
    {
        var fileWav = daemon.OutputPath("python-bytes.wav");
        var framesWav = daemon.OutputPath("python-frames.wav");

        var fromBytes = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "generate", daemon.Clip, "--out", fileWav);
        var fromFrames = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "generate", daemon.Clip, "--raw-frames", pixelFormat, "--out", framesWav);

        fromBytes.AssertSucceeded();
        fromFrames.AssertSucceeded();
        static List<(double, double)> Scenes(SampleRun run) =>
            run.All("scene").Select(s => (s.GetProperty("start_s").GetDouble(), s.GetProperty("end_s").GetDouble())).ToList();
        Assert.Equal(2, Scenes(fromFrames).Count);
        Assert.Equal(Scenes(fromBytes), Scenes(fromFrames));
        var input = fromFrames.Single("started").GetProperty("config").GetProperty("input");
        Assert.Equal((160, 120, 25.0, pixelFormat.ToUpperInvariant()), (input.GetProperty("raw_width").GetInt32(), input.GetProperty("raw_height").GetInt32(), input.GetProperty("raw_fps").GetDouble(), input.GetProperty("raw_pixel_format").GetString()));
        Assert.Equal((long)Math.Round(InteropFixture.ClipSeconds * 16000), WavReader.Read(framesWav).Frames);
        Assert.Equal(WavReader.Read(fileWav).Frames, WavReader.Read(framesWav).Frames);
    }

    [Fact]
    public async Task GenerateOnServer_FromPython_SameSamplesAsStreamed()
    {
        var wav = daemon.OutputPath("python-on-server.wav");

        var run = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "generate", daemon.Clip, "--on-server", "--out", wav, "--sample-rate", "48000", "--channels", "2");

        run.AssertSucceeded();
        var audio = WavReader.Read(wav);
        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(2, audio.Channels);
        var summary = run.Single("summary");
        var duration = long.Parse(summary.GetProperty("duration_us").GetString()!, CultureInfo.InvariantCulture) / 1e6;
        Assert.Equal((long)Math.Round(duration * 48000), audio.Frames);
        Assert.Equal(2, run.All("scene").Count());
    }

    [Fact]
    public async Task Scenes_FromPython_TwoScenesWithTheCut()
    {
        var run = await SampleClient.PythonAsync("--server", daemon.Server, "scenes", daemon.Clip);

        run.AssertSucceeded();
        var starts = run.SceneStarts();
        Assert.Equal([0, 1], starts.Select(s => s.Index));
        Assert.InRange(starts[1].Seconds, InteropFixture.SceneSeconds - 0.25, InteropFixture.SceneSeconds + 0.25);
        Assert.EndsWith("2 scenes", run.Output.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("scenes")]
    public async Task Source_OutsideAllowedRootsFromPython_PermissionDenied(string command)
    {
        string[] arguments = command == "generate"
            ? ["--server", daemon.Server, "generate", "/etc/passwd", "--on-server", "--out", daemon.OutputPath("denied.wav")]
            : ["--server", daemon.Server, "scenes", "/etc/passwd"];

        var run = await SampleClient.PythonAsync(arguments);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: PERMISSION_DENIED: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("outside the allowed roots", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_FromPython_ServerAndServiceServing()
    {
        var server = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "health");
        var service = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "health", "v2astream.v1.V2AStream");

        server.AssertSucceeded();
        service.AssertSucceeded();
        Assert.Equal("SERVING", server.Single("status").GetString());
        Assert.Equal("SERVING", service.Single("status").GetString());
    }

    [Fact]
    public async Task Services_FromPython_ListedByReflection()
    {
        var run = await SampleClient.PythonAsync("--server", daemon.Server, "--json", "services");

        run.AssertSucceeded();
        var services = run.Single("services").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("v2astream.v1.V2AStream", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
    }

    [Fact]
    public async Task Generate_MissingFileFromPython_ErrorAndExitOne()
    {
        var run = await SampleClient.PythonAsync("--server", daemon.Server, "generate", Path.Combine(daemon.Directory, "missing.mp4"), "--out", daemon.OutputPath("x.wav"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("missing.mp4' does not exist", run.Error, StringComparison.Ordinal);
    }
}
