using System.Diagnostics;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>Our WAV files against the real ffmpeg: it reads what we write, and we read what it writes (LIST chunk included).</summary>
public sealed class WavFfmpegInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-wav-ffmpeg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(WavSampleFormat.Float32, 2)]
    [InlineData(WavSampleFormat.Pcm16, 1)]
    public async Task Write_FfmpegDecodes_SameSamples(WavSampleFormat format, int channels)
    {
        var path = Path.Combine(_dir, "ours.wav");
        var samples = Enumerable.Range(0, 4800 * channels).Select(i => 0.8f * MathF.Sin(i * 0.013f)).ToArray();
        using (var writer = WavWriter.Create(path, 48000, channels, format))
        {
            writer.Write(samples);
        }

        var decoded = await RunAsync("ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-");

        var floats = new float[decoded.Length / 4];
        Buffer.BlockCopy(decoded, 0, floats, 0, decoded.Length);
        Assert.Equal(samples.Length, floats.Length);
        var tolerance = format == WavSampleFormat.Pcm16 ? 1.0 / 16000 : 0;
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(samples[i] - floats[i]) <= tolerance, $"sample {i}");
        }
    }

    [Fact]
    public async Task Read_FfmpegWav_ReadsHeaderAndLength()
    {
        var path = Path.Combine(_dir, "theirs.wav");
        await RunAsync("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=0.5", "-ac", "2", "-c:a", "pcm_s16le", path);

        var audio = WavReader.Read(path);

        Assert.Equal((22050, 2, WavSampleFormat.Pcm16, 11025L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        Assert.InRange(audio.Samples.Max(), 0.08, 0.1);
    }

    private static async Task<byte[]> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(copy, error);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return output.ToArray();
    }
}
