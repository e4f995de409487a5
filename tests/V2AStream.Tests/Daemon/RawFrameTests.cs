using System.Diagnostics;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>RawFrame input end to end: frames decoded by ffmpeg here, sent one per message, against the same file sent as container bytes.</summary>
public sealed class RawFrameTests(DaemonFixture daemon) : IClassFixture<DaemonFixture>
{
    private const int Width = 160;
    private const int Height = 120;
    private const double Fps = 25;

    [Theory]
    [InlineData("yuv420p")]
    [InlineData("rgb24")]
    public async Task Generate_FramesDecodedByTheClient_SameScenesAndSamplesAsTheContainer(string pixelFormatName)
    {
        var pixelFormat = pixelFormatName == "rgb24" ? RawPixelFormat.Rgb24 : RawPixelFormat.Yuv420P;
        var fromContainer = await DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.ConfigThenFile(DaemonCalls.Config(), daemon.Mp4));
        var fromFrames = await DaemonCalls.GenerateAsync(daemon.Address, ConfigThenFrames(RawConfig(pixelFormat), DecodeAsync(daemon.Mp4, pixelFormat), (index, _) => (long)Math.Round(index * 1e6 / Fps)));

        Assert.Equal(Scenes(fromContainer), Scenes(fromFrames));
        Assert.Equal(3, Scenes(fromFrames).Count);
        Assert.Equal(60 * 16000UL, fromFrames[^1].Summary.TotalSamples);
        Assert.Equal(fromContainer[^1].Summary.TotalSamples, fromFrames[^1].Summary.TotalSamples);
        var started = fromFrames[0].Started.Config.Input;
        Assert.Equal(((uint)Width, (uint)Height, Fps, pixelFormat), (started.RawWidth, started.RawHeight, started.RawFps, started.RawPixelFormat));
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1.0, 9.0)]
    [InlineData(5.0, 8.0)]
    public async Task Generate_GapInPts_FilledUpToTwoSecondsElseANewSegment(double gapSeconds, double expectedSeconds)
    {
        // 100 frames, a gap, 100 frames: the gap is in the media clock only when it is short enough to fill.
        var frames = DecodeAsync(daemon.Mp4, RawPixelFormat.Yuv420P, limit: 200);
        var responses = await DaemonCalls.GenerateAsync(daemon.Address, ConfigThenFrames(RawConfig(RawPixelFormat.Yuv420P), frames, (index, _) =>
            (long)Math.Round((index * 1e6 / Fps) + (index >= 100 ? gapSeconds * 1e6 : 0))));

        Assert.Equal((long)(expectedSeconds * 1e6), responses[^1].Summary.DurationUs);
        Assert.Equal((ulong)(expectedSeconds * 16000), responses[^1].Summary.TotalSamples);
    }

    [Fact]
    public async Task Generate_FrameOfTheWrongSize_InvalidArgumentNamingTheFrame()
    {
        var frames = DecodeAsync(daemon.Mp4, RawPixelFormat.Rgb24, limit: 20);
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, ConfigThenFrames(RawConfig(RawPixelFormat.Rgb24), frames, (index, _) => index * 40_000, (index, data) => index == 12 ? data[..^3] : data)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("RawFrame 12 (pts_us 480000) has 57597 bytes; a 160x120 rgb24 at 25 fps frame has 57600.", error.Status.Detail);
        Assert.Equal(0, await FfmpegChildren.WaitUntilNoneAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Generate_PtsGoingBackwards_InvalidArgumentNamingTheFrame()
    {
        var frames = DecodeAsync(daemon.Mp4, RawPixelFormat.Yuv420P, limit: 20);
        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, ConfigThenFrames(RawConfig(RawPixelFormat.Yuv420P), frames, (index, _) => index == 7 ? 200_000 : index * 40_000)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("RawFrame 7 (pts_us 200000) is not after RawFrame 6 (pts_us 240000): frames must come in increasing pts.", error.Status.Detail);
    }

    [Fact]
    public async Task Generate_MediaInARawStreamOrAFrameInAContainerStream_InvalidArgument()
    {
        var media = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.Messages(
            new GenerateRequest { Config = RawConfig(RawPixelFormat.Rgb24) }, new GenerateRequest { Media = ByteString.CopyFromUtf8("bytes") })));
        var frame = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.Messages(
            new GenerateRequest { Config = DaemonCalls.Config() }, new GenerateRequest { Frame = new RawFrame { PtsUs = 0, Data = ByteString.CopyFrom(new byte[10]) } })));

        Assert.Equal(StatusCode.InvalidArgument, media.StatusCode);
        Assert.Contains("media bytes in a RawFrame stream", media.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, frame.StatusCode);
        Assert.Contains("a RawFrame in a stream of container bytes", frame.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 120, 25, 1, "raw_width x raw_height 0x120")]
    [InlineData(160, 5000, 25, 1, "raw_width x raw_height 160x5000")]
    [InlineData(160, 120, 0, 2, "raw_fps 0")]
    [InlineData(160, 120, 25, 0, "raw_pixel_format is missing")]
    [InlineData(160, 120, 25, 9, "raw_pixel_format 9 is unknown")]
    public async Task Generate_BadRawDeclaration_InvalidArgumentNamingTheField(uint width, uint height, double fps, int pixelFormat, string expected)
    {
        var config = DaemonCalls.Config();
        config.Input = new InputConfig { RawWidth = width, RawHeight = height, RawFps = fps, RawPixelFormat = (RawPixelFormat)pixelFormat };

        var error = await Assert.ThrowsAsync<RpcException>(() => DaemonCalls.GenerateAsync(daemon.Address, DaemonCalls.Messages(new GenerateRequest { Config = config })));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    private static StreamConfig RawConfig(RawPixelFormat pixelFormat)
    {
        var config = DaemonCalls.Config();
        config.Input = new InputConfig { RawWidth = Width, RawHeight = Height, RawFps = Fps, RawPixelFormat = pixelFormat };
        return config;
    }

    private static List<(long StartUs, long EndUs)> Scenes(List<GenerateResponse> responses) =>
        responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Scene).Select(r => (r.Scene.StartUs, r.Scene.EndUs)).ToList();

    private static async IAsyncEnumerable<GenerateRequest> ConfigThenFrames(StreamConfig config, IAsyncEnumerable<byte[]> frames, Func<int, byte[], long> ptsUs, Func<int, byte[], byte[]>? alter = null)
    {
        yield return new GenerateRequest { Config = config };
        var index = 0;
        await foreach (var frame in frames)
        {
            var data = alter?.Invoke(index, frame) ?? frame;
            yield return new GenerateRequest { Frame = new RawFrame { PtsUs = ptsUs(index, frame), Data = ByteString.CopyFrom(data) } };
            index++;
        }
    }

    /// <summary>The file's frames as ffmpeg decodes them, at the file's own size and rate, in <paramref name="pixelFormat"/>.</summary>
    private static async IAsyncEnumerable<byte[]> DecodeAsync(string path, RawPixelFormat pixelFormat, int limit = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (name, bytes) = pixelFormat == RawPixelFormat.Rgb24 ? ("rgb24", Width * Height * 3) : ("yuv420p", Width * Height * 3 / 2);
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-i", path, "-f", "rawvideo", "-pix_fmt", name, "pipe:1" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            for (var count = 0; count < limit; count++)
            {
                var frame = new byte[bytes];
                try
                {
                    await process.StandardOutput.BaseStream.ReadExactlyAsync(frame, cancellationToken);
                }
                catch (EndOfStreamException)
                {
                    break;
                }

                yield return frame;
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None);
            await errors;
        }
    }
}
