namespace V2AStream.Tests.Interop;

/// <summary>
/// Both sample clients follow the CLI's conventions (README.md, "Command-line conventions"): an http:// address as
/// well as HOST:PORT, -o for the output, scenes in the one JSON shape, and no file left beside the WAV.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class SampleClientConventionsTests(InteropFixture daemon)
{
    [Theory]
    [InlineData("python")]
    [InlineData("node")]
    public async Task Generate_HttpAddressAndJson_ScenesInTheCliShape(string client)
    {
        var wav = daemon.OutputPath($"{client}-conventions.wav");

        var run = await SampleClient.ByNameAsync(client, "--server", $"http://{daemon.Server}", "--json", "generate", daemon.Clip, "-o", wav);

        run.AssertSucceeded();
        var scenes = run.All("scene").ToList();
        Assert.Equal(2, scenes.Count);
        Assert.All(scenes, s => Assert.Equal(["index", "start_s", "end_s", "start_frame", "end_frame", "score", "labels"], s.EnumerateObject().Select(p => p.Name)));
        Assert.Equal([0, 1], scenes.Select(s => s.GetProperty("index").GetInt32()));
        Assert.Equal((0.0, 0), (scenes[0].GetProperty("start_s").GetDouble(), scenes[0].GetProperty("start_frame").GetInt32()));
        Assert.Equal(scenes[1].GetProperty("start_frame").GetInt32() - 1, scenes[0].GetProperty("end_frame").GetInt32());
        Assert.InRange(scenes[1].GetProperty("start_s").GetDouble(), InteropFixture.SceneSeconds - 0.25, InteropFixture.SceneSeconds + 0.25);
        Assert.Equal(InteropFixture.ClipSeconds, scenes[1].GetProperty("end_s").GetDouble(), 1);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(wav)!, ".v2a-*"));
    }

    [Theory]
    [InlineData("python")]
    [InlineData("node")]
    public async Task NotAnAddress_BadUsageExitTwo(string client)
    {
        var run = await SampleClient.ByNameAsync(client, "--server", "localhost", "info");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'localhost' is not an address: use HOST:PORT or http(s)://HOST:PORT", run.Error, StringComparison.Ordinal);
    }
}
