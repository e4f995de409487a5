namespace V2AStream.Tests.Cli;

public sealed class SoakCommandTests
{
    [Theory]
    [InlineData("soak", "--source", "x.mp4")]
    [InlineData("soak", "--spawn", "--server", "http://127.0.0.1:1", "--source", "x.mp4")]
    [InlineData("soak", "--server", "ftp://host", "--source", "x.mp4")]
    [InlineData("soak", "--spawn", "--duration", "forever", "--source", "x.mp4")]
    [InlineData("soak", "--spawn", "--max-p99", "soon", "--source", "x.mp4")]
    [InlineData("soak", "--spawn", "--source", "/no/such/clip.mp4")]
    public async Task Soak_BadUsage_ExitsTwoWithOneLine(params string[] args)
    {
        var (code, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
