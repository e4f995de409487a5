using Google.Protobuf;
using V2AStream.Core.Media;
using V2AStream.Core.Pipeline;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// Turns the pipeline's mono float chunks into the client's format: resampled (streaming polyphase) to
/// 44.1 or 48 kHz when asked, duplicated to stereo, as 16-bit or float PCM, or WAV (a header of unknown
/// length in front of the first chunk, then 16-bit PCM). Times are counted in output frames, so they
/// never drift. One per stream; not thread-safe.
/// </summary>
internal sealed class AudioEncoder(AudioOutputFormat format, int inputRate)
{
    private readonly PolyphaseResampler? _resampler = format.SampleRate == inputRate ? null : new PolyphaseResampler(inputRate, format.SampleRate);
    private long _framesSent;
    private ulong _sequence;
    private bool _headerSent;

    /// <summary>Output frames (samples per channel) sent so far.</summary>
    public long FramesSent => _framesSent;

    public AudioChunk Encode(AudioChunkReady chunk) =>
        ToChunk(_resampler is null ? chunk.Samples : _resampler.Process(chunk.Samples), chunk.SceneIndex);

    /// <summary>The resampler's last samples at the end of the stream, or null when there are none.</summary>
    public AudioChunk? Flush(int sceneIndex)
    {
        var tail = _resampler?.Flush();
        return tail is { Length: > 0 } ? ToChunk(tail, sceneIndex) : null;
    }

    private AudioChunk ToChunk(float[] mono, int sceneIndex)
    {
        var interleaved = format.Channels == 1 ? mono : ChannelLayout.Duplicate(mono, format.Channels);
        var sampleFormat = format.Encoding == AudioEncoding.PcmF32Le ? WavSampleFormat.Float32 : WavSampleFormat.Pcm16;
        var pcm = PcmEncoder.Encode(interleaved, sampleFormat);
        var data = pcm;
        if (format.Encoding == AudioEncoding.Wav && !_headerSent)
        {
            data = [.. Pcm16Wav.StreamingHeader(format.SampleRate, format.Channels), .. pcm];
            _headerSent = true;
        }

        var chunk = new AudioChunk
        {
            Sequence = _sequence++,
            StartUs = FramesToMicroseconds(_framesSent),
            DurationUs = FramesToMicroseconds(_framesSent + mono.Length) - FramesToMicroseconds(_framesSent),
            SampleRate = (uint)format.SampleRate,
            Channels = (uint)format.Channels,
            Encoding = format.Encoding,
            Data = ByteString.CopyFrom(data),
            SceneIndex = (uint)sceneIndex,
        };
        _framesSent += mono.Length;
        return chunk;
    }

    private long FramesToMicroseconds(long frames) => (long)Math.Round(frames * 1_000_000.0 / format.SampleRate, MidpointRounding.AwayFromZero);
}
