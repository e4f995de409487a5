using NAudio.Wave;

namespace V2AStream.Core.Media;

/// <summary>
/// The 16-bit PCM WAV the program writes: files through NAudio's <see cref="WaveFileWriter"/>, which fills in the sizes
/// when it is disposed, and a header of unknown length for audio sent before its end is known (a pipe, a gRPC
/// stream). Samples are interleaved floats, clipped to [-1, 1] and rounded by <see cref="PcmEncoder"/>.
/// </summary>
public static class Pcm16Wav
{
    private const uint UnknownSize = 0xFFFFFFFF;

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>; disposing the writer completes and closes it.</summary>
    public static WaveFileWriter Create(string path, int sampleRate, int channels) =>
        new(path, Format(sampleRate, channels), Options());

    /// <summary>A writer into a seekable <paramref name="stream"/> (it seeks back to fill in the sizes), which it leaves open.</summary>
    public static WaveFileWriter Create(Stream stream, int sampleRate, int channels) =>
        new(stream, Format(sampleRate, channels), Options());

    /// <summary>Appends interleaved samples; their count must be a whole number of the writer's frames.</summary>
    public static async ValueTask WriteSamplesAsync(this WaveFileWriter writer, ReadOnlyMemory<float> interleaved, CancellationToken cancellationToken)
    {
        var channels = writer.WaveFormat.Channels;
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"{interleaved.Length} samples is not a whole number of {channels}-channel frames.", nameof(interleaved));
        }

        await writer.WriteAsync(PcmEncoder.Encode(interleaved.Span, WavSampleFormat.Pcm16), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The 44-byte header of a 16-bit PCM WAV stream of unknown length: RIFF and data sizes 0xFFFFFFFF, which ffmpeg,
    /// NAudio and most readers take as "until the end". Framed by us because NAudio's WaveFileWriter cannot make it:
    /// it needs a seekable stream (it reads the position of each size field and seeks back to fill them in on
    /// dispose) and writes zero sizes until then.
    /// </summary>
    public static byte[] StreamingHeader(int sampleRate, int channels)
    {
        using var stream = new MemoryStream(44);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write("RIFF"u8);
            writer.Write(UnknownSize);
            writer.Write("WAVE"u8);
            writer.Write("fmt "u8);
            Format(sampleRate, channels).Serialize(writer);
            writer.Write("data"u8);
            writer.Write(UnknownSize);
        }

        return stream.ToArray();
    }

    private static WaveFormat Format(int sampleRate, int channels) => new(sampleRate, 16, channels);

    // A long live recording (4 GiB is 6.2 h of 48 kHz stereo) becomes an RF64 file when it is closed instead of failing
    // at the RIFF size limit; until then the file is a plain WAV with a 36-byte JUNK chunk kept for the ds64 chunk.
    private static WaveFileWriterOptions Options() => new() { EnableRf64 = true };
}
