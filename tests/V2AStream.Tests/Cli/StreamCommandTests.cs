using V2AStream.Tests.Daemon;
using V2AStream.Testing.Media;

namespace V2AStream.Tests.Cli;

/// <summary>The clients (stream, soak) against a real daemon: any file ffmpeg can read streams, in real time too.</summary>
public sealed class StreamCommandTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Stream_IndexAtEndMp4InRealTime_SendsACopyWithTheIndexFirstAndGetsAllItsAudio()
    {
        var directory = Directory.CreateTempSubdirectory("v2a-stream-cli-").FullName;
        try
        {
            var clip = HostileMedia.IndexAtEndMp4(directory, seconds: 4);
            var wav = Path.Combine(directory, "out.wav");

            var (code, _, error) = await CliRunner.RunAsync("stream", clip, "--server", daemon.Address.ToString(), "--out", wav, "--realtime");

            Assert.True(code == 0, error);
            Assert.Contains("index first", error, StringComparison.Ordinal);
            Assert.Contains("4.00 s of media -> 64000 samples", error, StringComparison.Ordinal);
            Assert.True(File.Exists(wav));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Soak_IndexAtEndMp4Source_StreamsWithoutErrors()
    {
        var directory = Directory.CreateTempSubdirectory("v2a-soak-cli-").FullName;
        try
        {
            var clip = HostileMedia.IndexAtEndMp4(directory, seconds: 3);

            var (code, output, error) = await CliRunner.RunAsync("soak", "--server", daemon.Address.ToString(), "--streams", "1", "--duration", "1s", "--source", clip, "--realtime", "--max-errors", "0");

            Assert.True(code == 0, $"{output}\n{error}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
