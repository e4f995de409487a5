using System.Buffers.Binary;

namespace V2AStream.Core.Media;

/// <summary>Float samples to little-endian PCM bytes: 16-bit clips to [-1, 1] and rounds to nearest; 32-bit float is copied.</summary>
public static class PcmEncoder
{
    public static int BytesPerSample(WavSampleFormat format) => format == WavSampleFormat.Pcm16 ? 2 : 4;

    /// <summary>Writes <paramref name="samples"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<float> samples, WavSampleFormat format, Span<byte> destination)
    {
        var bytes = samples.Length * BytesPerSample(format);
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"{bytes} bytes are needed, the destination holds {destination.Length}.", nameof(destination));
        }

        if (format == WavSampleFormat.Pcm16)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                var value = Math.Clamp(samples[i], -1f, 1f) * 32767f;
                BinaryPrimitives.WriteInt16LittleEndian(destination[(2 * i)..], (short)MathF.Round(value));
            }
        }
        else
        {
            for (var i = 0; i < samples.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], samples[i]);
            }
        }

        return bytes;
    }

    /// <summary>Bytes of <paramref name="samples"/> in <paramref name="format"/>, as a new array.</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, WavSampleFormat format)
    {
        var result = new byte[samples.Length * BytesPerSample(format)];
        Encode(samples, format, result);
        return result;
    }
}
