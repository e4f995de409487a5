using System.Diagnostics;
using System.Globalization;
using V2AStream.Core.Media;
using V2AStream.Tests.Daemon;

namespace V2AStream.Tests.Cli;

/// <summary>
/// Ctrl-C on <c>run -</c> while audio is being made: like ffmpeg, the WAV is finished with what was made (a valid file,
/// its sizes filled in), no temporary file is left, and the exit code is 130 (README.md, "Interrupting").
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class InterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RunFromStdin_CtrlCAfterSomeAudio_KeepsAValidWavOfIt()
    {
        var clip = Path.Combine(_dir, "clip.ts");
        await DaemonFixture.FfmpegAsync(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=12", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mpegts", clip]);
        var wav = Path.Combine(_dir, "out.wav");
        using var cli = CliProcess.Start("run", "-", "--mode", "live", "-o", wav);
        var output = cli.StandardOutput.ReadToEndAsync();
        var errors = cli.StandardError.ReadToEndAsync();
        try
        {
            // The whole clip, with stdin left open: the run waits for more until it is interrupted.
            await using (var source = File.OpenRead(clip))
            {
                await source.CopyToAsync(cli.StandardInput.BaseStream);
                await cli.StandardInput.BaseStream.FlushAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (TemporaryWavBytes() < 44 + (2 * 16000))
            {
                if (cli.HasExited)
                {
                    Assert.Fail($"run ended before it was interrupted: {await errors}");
                }

                await Task.Delay(50, timeout.Token);
            }

            using (var interrupt = Process.Start("kill", ["-INT", cli.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync(timeout.Token);
            }

            await cli.WaitForExitAsync(timeout.Token);
            var stderr = await errors;
            Assert.True(cli.ExitCode == 130, $"exit {cli.ExitCode}: {stderr}");
            Assert.Equal([clip, wav], Directory.GetFiles(_dir).Order());
            var audio = WavReader.Read(wav);
            Assert.Equal((16000, 1), (audio.SampleRate, audio.Channels));
            Assert.InRange(audio.Frames, 16000, 12 * 16000);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"interrupted: kept the {audio.Frames / 16000.0:F2} s of audio made so far in {wav}."), stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!cli.HasExited)
            {
                cli.Kill(entireProcessTree: true);
            }

            await Task.WhenAll(output, errors);
        }
    }

    /// <summary>The size of the hidden file the run writes its WAV to, 0 before it has one.</summary>
    private long TemporaryWavBytes() =>
        Directory.GetFiles(_dir, ".v2a-*.wav").Select(f => new FileInfo(f).Length).DefaultIfEmpty(0).Max();
}
