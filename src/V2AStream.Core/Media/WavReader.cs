using System.Buffers.Binary;
using NAudio.Wave;

namespace V2AStream.Core.Media;

/// <summary>
/// Reads 16-bit PCM and 32-bit float WAV files (plain, WAVE_FORMAT_EXTENSIBLE or RF64, unknown chunks skipped, sizes
/// of a WAV streamed before its length was known taken as "until the end") through NAudio's
/// <see cref="WaveFileReader"/>. A file that cannot be read fails with a one-line <see cref="WavException"/>.
/// </summary>
public static class WavReader
{
    private const uint UnknownSize = 0xFFFFFFFF;

    public static WavAudio Read(string path)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new WavException(WavErrorReason.NotWav, $"'{path}' does not exist.");
        }

        using (stream)
        {
            return Read(stream, path);
        }
    }

    /// <param name="stream">A seekable stream positioned at the start of the WAV data; left open.</param>
    /// <param name="name">The file name, for messages.</param>
    public static WavAudio Read(Stream stream, string name = "WAV data")
    {
        CheckDeclaredLength(stream, name);
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(stream);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException)
        {
            throw new WavException(WavErrorReason.Corrupt, $"{name} is not a readable WAV file: {e.Message}");
        }

        using (reader)
        {
            var format = CheckFormat(name, reader.WaveFormat.AsStandardWaveFormat());
            var frames = reader.Length / reader.BlockAlign;
            var samples = new float[checked((int)(frames * reader.WaveFormat.Channels))];
            var provider = reader.ToSampleProvider();
            var read = 0;
            int count;
            while (read < samples.Length && (count = provider.Read(samples.AsSpan(read))) > 0)
            {
                read += count;
            }

            return new WavAudio(reader.WaveFormat.SampleRate, reader.WaveFormat.Channels, format, samples);
        }
    }

    /// <summary>
    /// NAudio reads a data chunk as far as the file goes, as it must for a WAV streamed with placeholder sizes, so a
    /// file cut short is caught here: a RIFF header with a known size that declares more bytes than there are.
    /// </summary>
    private static void CheckDeclaredLength(Stream stream, string name)
    {
        var start = stream.Position;
        Span<byte> header = stackalloc byte[12];
        var isRiff = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length
            && (header[..4].SequenceEqual("RIFF"u8) || header[..4].SequenceEqual("RF64"u8))
            && header[8..].SequenceEqual("WAVE"u8);
        if (!isRiff)
        {
            throw new WavException(WavErrorReason.NotWav, $"{name} is not a WAV file (no RIFF/WAVE header).");
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) + 8L;
        var present = stream.Length - start;
        if (header[..4].SequenceEqual("RIFF"u8) && declared != UnknownSize + 8L && declared > present)
        {
            throw new WavException(WavErrorReason.Corrupt, $"{name} is truncated: its header declares {declared} bytes but {present} are present.");
        }

        stream.Position = start;
    }

    private static WavSampleFormat CheckFormat(string name, WaveFormat wave)
    {
        WavSampleFormat format;
        if (wave.Encoding == WaveFormatEncoding.Pcm && wave.BitsPerSample == 16)
        {
            format = WavSampleFormat.Pcm16;
        }
        else if (wave.Encoding == WaveFormatEncoding.IeeeFloat && wave.BitsPerSample == 32)
        {
            format = WavSampleFormat.Float32;
        }
        else
        {
            throw new WavException(WavErrorReason.UnsupportedFormat, $"{name} holds {wave.Encoding} with {wave.BitsPerSample}-bit samples; only 16-bit PCM and 32-bit float are read (convert with: ffmpeg -i IN -c:a pcm_s16le OUT.wav).");
        }

        if (wave.Channels < 1 || wave.SampleRate < 1 || wave.BlockAlign != wave.Channels * wave.BitsPerSample / 8)
        {
            throw new WavException(WavErrorReason.Corrupt, $"{name}: inconsistent fmt chunk ({wave.Channels} channels, {wave.SampleRate} Hz, block align {wave.BlockAlign}).");
        }

        return format;
    }
}
