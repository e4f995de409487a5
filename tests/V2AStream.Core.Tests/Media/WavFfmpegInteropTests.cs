using System.Diagnostics;
using V2AStream.Core.Media;

namespace V2AStream.Core.Tests.Media;

/// <summary>Our WAV output against the real ffmpeg: it reads what we write (files, and streams of unknown length), and we read what it writes (LIST chunk, extensible format and a pipe's unknown sizes included).</summary>
public sealed class WavFfmpegInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-wav-ffmpeg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public async Task Write_FfmpegDecodes_SameSamples(bool streaming, int channels)
    {
        var path = Path.Combine(_dir, "ours.wav");
        var samples = Enumerable.Range(0, 4800 * channels).Select(i => 0.8f * MathF.Sin(i * 0.013f)).ToArray();
        if (streaming)
        {
            // What the daemon sends for WAV output and `v2a stream --out -` writes to a pipe.
            await File.WriteAllBytesAsync(path, [.. Pcm16Wav.StreamingHeader(48000, channels), .. PcmEncoder.Encode(samples, WavSampleFormat.Pcm16)]);
        }
        else
        {
            await using var writer = Pcm16Wav.Create(path, 48000, channels);
            await writer.WriteSamplesAsync(samples, CancellationToken.None);
        }

        var decoded = await RunAsync("ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-");

        var floats = new float[decoded.Length / 4];
        Buffer.BlockCopy(decoded, 0, floats, 0, decoded.Length);
        Assert.Equal(samples.Length, floats.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.True(Math.Abs(samples[i] - floats[i]) <= 1.0 / 16000, $"sample {i}");
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

    [Fact]
    public async Task Read_FfmpegFloatWavFromAPipe_ExtensibleFormatAndUnknownSizes()
    {
        var piped = await RunAsync("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=0.25", "-c:a", "pcm_f32le", "-f", "wav", "-");

        var audio = WavReader.Read(new MemoryStream(piped), "pipe");

        Assert.Equal((16000, 1, WavSampleFormat.Float32, 4000L), (audio.SampleRate, audio.Channels, audio.Format, audio.Frames));
        Assert.InRange(audio.Samples.Max(), 0.12, 0.13);
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
