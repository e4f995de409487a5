using System.Buffers.Binary;

namespace V2AStream.Core.Media;

/// <summary>
/// Reads 16-bit PCM and 32-bit float WAV files (plain or WAVE_FORMAT_EXTENSIBLE, any chunk order with
/// fmt before data, unknown chunks skipped). A bad header fails with a <see cref="WavException"/> that
/// says what is wrong.
/// </summary>
public static class WavReader
{
    private const int FormatPcm = 1;
    private const int FormatIeeeFloat = 3;
    private const int FormatExtensible = 0xFFFE;

    public static WavAudio Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new WavException(WavErrorReason.NotWav, $"'{path}' does not exist.");
        }

        return Read(bytes, path);
    }

    /// <param name="name">The file name, for messages.</param>
    public static WavAudio Read(ReadOnlySpan<byte> data, string name = "WAV data")
    {
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data[8..12].SequenceEqual("WAVE"u8))
        {
            throw new WavException(WavErrorReason.NotWav, $"{name} is not a WAV file (no RIFF/WAVE header).");
        }

        int? formatTag = null;
        int channels = 0, sampleRate = 0, bitsPerSample = 0, blockAlign = 0;
        var position = 12;
        while (position + 8 <= data.Length)
        {
            var id = data.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            var body = position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + size > data.Length)
                {
                    throw new WavException(WavErrorReason.Corrupt, $"{name}: the fmt chunk is {size} bytes; it needs at least 16 inside the file.");
                }

                var fmt = data.Slice(body, (int)size);
                formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
                bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (formatTag == FormatExtensible && size >= 40)
                {
                    // The sub-format GUID starts with the plain format tag.
                    formatTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (formatTag is null)
                {
                    throw new WavException(WavErrorReason.Corrupt, $"{name}: the data chunk comes before the fmt chunk.");
                }

                var format = CheckFormat(name, formatTag.Value, channels, sampleRate, bitsPerSample, blockAlign);
                var available = data.Length - body;
                var length = size == uint.MaxValue || size > available ? available : (int)size;
                if (size != uint.MaxValue && size > available)
                {
                    throw new WavException(WavErrorReason.Corrupt, $"{name} is truncated: the data chunk declares {size} bytes but {available} are present.");
                }

                length -= length % blockAlign;
                return new WavAudio(sampleRate, channels, format, Decode(data.Slice(body, length), format));
            }

            position = checked(body + (int)Math.Min(size, int.MaxValue) + (int)(size & 1));
        }

        throw new WavException(WavErrorReason.Corrupt, formatTag is null ? $"{name} has no fmt chunk." : $"{name} has no data chunk.");
    }

    private static WavSampleFormat CheckFormat(string name, int formatTag, int channels, int sampleRate, int bitsPerSample, int blockAlign)
    {
        WavSampleFormat format;
        if (formatTag == FormatPcm && bitsPerSample == 16)
        {
            format = WavSampleFormat.Pcm16;
        }
        else if (formatTag == FormatIeeeFloat && bitsPerSample == 32)
        {
            format = WavSampleFormat.Float32;
        }
        else
        {
            throw new WavException(WavErrorReason.UnsupportedFormat, $"{name} holds format {formatTag} with {bitsPerSample}-bit samples; only 16-bit PCM and 32-bit float are read (convert with: ffmpeg -i IN -c:a pcm_s16le OUT.wav).");
        }

        if (channels < 1 || sampleRate < 1 || blockAlign != channels * bitsPerSample / 8)
        {
            throw new WavException(WavErrorReason.Corrupt, $"{name}: inconsistent fmt chunk ({channels} channels, {sampleRate} Hz, block align {blockAlign}).");
        }

        return format;
    }

    private static float[] Decode(ReadOnlySpan<byte> data, WavSampleFormat format)
    {
        if (format == WavSampleFormat.Float32)
        {
            var floats = new float[data.Length / 4];
            for (var i = 0; i < floats.Length; i++)
            {
                floats[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
            }

            return floats;
        }

        var samples = new float[data.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) / 32768f;
        }

        return samples;
    }
}
