namespace V2AStream.Tests.Interop;

/// <summary>What both sample clients do with a request the server refuses or a command line they cannot run.</summary>
[Collection(InteropCollection.Name)]
public sealed class SampleClientUsageErrorTests(InteropFixture daemon)
{
    [Theory]
    [InlineData("python")]
    [InlineData("node")]
    public async Task Generate_UnsupportedSampleRate_InvalidArgumentWithMessageAndNoWav(string client)
    {
        var wav = daemon.OutputPath($"{client}-bad-rate.wav");

        var run = await SampleClient.ByNameAsync(client, "--server", daemon.Server, "generate", daemon.Clip, "--out", wav, "--sample-rate", "22050");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: INVALID_ARGUMENT: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("output.sample_rate 22050 is not supported", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(wav));
        Assert.False(File.Exists(wav + ".partial"));
    }

    [Theory]
    [InlineData("python")]
    [InlineData("node")]
    public async Task Generate_NoOut_BadUsageExitTwo(string client)
    {
        var run = await SampleClient.ByNameAsync(client, "--server", daemon.Server, "generate", daemon.Clip);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--out", run.Error, StringComparison.Ordinal);
    }
}
