using System.Runtime.InteropServices;
using NAudio.Wave;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// Where a client's audio goes: a 16-bit WAV file (NAudio's writer, sizes filled in at the end), 16-bit WAV on a pipe
/// (a header of unknown length, then the samples), or raw 16-bit or float PCM. The client always asks the server for
/// float PCM and converts here, so one code path serves every format. A file is written as .partial and renamed when
/// the stream ends well.
/// </summary>
internal sealed class AudioSink : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly string? _path;
    private readonly string _format;
    private WaveFileWriter? _wav;
    private bool _streamingHeaderWritten;
    private bool _completed;

    /// <param name="stream">A seekable stream gets a complete WAV file; any other (a pipe) a WAV stream of unknown length.</param>
    /// <param name="path">The target file, whose .partial file <paramref name="stream"/> writes; null for a pipe.</param>
    internal AudioSink(Stream stream, string? path, string format)
    {
        _stream = stream;
        _path = path;
        _format = format;
    }

    public static IReadOnlyList<string> Formats { get; } = ["wav", "s16le", "f32le"];

    /// <summary>A sink writing <paramref name="format"/> to <paramref name="target"/> (a path, or "-" for stdout).</summary>
    public static AudioSink Open(string target, string format) =>
        target == "-"
            ? new AudioSink(Console.OpenStandardOutput(), null, format)
            : new AudioSink(new FileStream(target + ".partial", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), target, format);

    public async ValueTask WriteAsync(AudioChunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Encoding != AudioEncoding.PcmF32Le)
        {
            throw new InvalidDataException($"The server sent {chunk.Encoding} audio; this client asked for PCM_F32LE.");
        }

        var samples = MemoryMarshal.Cast<byte, float>(chunk.Data.Span).ToArray();
        switch (_format)
        {
            case "wav" when _stream.CanSeek:
                _wav ??= Pcm16Wav.Create(_stream, (int)chunk.SampleRate, (int)chunk.Channels);
                await _wav.WriteSamplesAsync(samples, cancellationToken).ConfigureAwait(false);
                break;
            case "wav":
                if (!_streamingHeaderWritten)
                {
                    await _stream.WriteAsync(Pcm16Wav.StreamingHeader((int)chunk.SampleRate, (int)chunk.Channels), cancellationToken).ConfigureAwait(false);
                    _streamingHeaderWritten = true;
                }

                await _stream.WriteAsync(PcmEncoder.Encode(samples, WavSampleFormat.Pcm16), cancellationToken).ConfigureAwait(false);
                break;
            case "s16le":
                await _stream.WriteAsync(PcmEncoder.Encode(samples, WavSampleFormat.Pcm16), cancellationToken).ConfigureAwait(false);
                break;
            default:
                await _stream.WriteAsync(chunk.Data.Memory, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The stream ended well: keep the file.</summary>
    public void Complete() => _completed = true;

    public async ValueTask DisposeAsync()
    {
        if (_wav is not null)
        {
            await _wav.DisposeAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_path is not null)
        {
            if (_completed)
            {
                File.Move(_path + ".partial", _path, overwrite: true);
            }
            else
            {
                File.Delete(_path + ".partial");
            }
        }
    }
}
