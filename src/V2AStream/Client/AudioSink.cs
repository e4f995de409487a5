using System.Runtime.InteropServices;
using NAudio.Wave;
using V2AStream.Core.Files;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// Where a client's audio goes: a 16-bit WAV file (NAudio's writer, sizes filled in at the end), 16-bit WAV on a pipe
/// (a header of unknown length, then the samples), or raw 16-bit or float PCM. The client always asks the server for
/// float PCM and converts here, so one code path serves every format. A file is an <see cref="OutputFile"/>: written
/// under a temporary name, and kept (renamed into place, a WAV's sizes filled in) only when <see cref="Complete"/> was
/// called, for a stream that ended well or an interrupted one whose audio so far is wanted.
/// </summary>
internal sealed class AudioSink : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly OutputFile? _file;
    private readonly string _format;
    private WaveFileWriter? _wav;
    private bool _streamingHeaderWritten;
    private bool _completed;

    /// <param name="stream">A seekable stream gets a complete WAV file; any other (a pipe) a WAV stream of unknown length.</param>
    /// <param name="file">The output file whose temporary file <paramref name="stream"/> writes; null for a pipe.</param>
    internal AudioSink(Stream stream, OutputFile? file, string format)
    {
        _stream = stream;
        _file = file;
        _format = format;
    }

    public static IReadOnlyList<string> Formats { get; } = ["wav", "s16le", "f32le"];

    /// <summary>Sample frames (samples per channel) written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Seconds of audio written so far.</summary>
    public double SecondsWritten { get; private set; }

    /// <summary>
    /// A sink writing <paramref name="format"/> to <paramref name="target"/> (a path, or "-" for stdout). A path is
    /// checked and its temporary file created now: <see cref="OutputPathException"/> when it cannot be written.
    /// </summary>
    public static AudioSink Open(string target, string format)
    {
        if (target == "-")
        {
            return new AudioSink(Console.OpenStandardOutput(), null, format);
        }

        var file = OutputFile.Create(target);
        try
        {
            return new AudioSink(file.OpenWrite(), file, format);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes one chunk whole (the write is not cancellable half-way, so the file never holds part of a frame).</summary>
    public async ValueTask WriteAsync(AudioChunk chunk)
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
                await _wav.WriteSamplesAsync(samples, CancellationToken.None).ConfigureAwait(false);
                break;
            case "wav":
                if (!_streamingHeaderWritten)
                {
                    await _stream.WriteAsync(Pcm16Wav.StreamingHeader((int)chunk.SampleRate, (int)chunk.Channels)).ConfigureAwait(false);
                    _streamingHeaderWritten = true;
                }

                await _stream.WriteAsync(PcmEncoder.Encode(samples, WavSampleFormat.Pcm16)).ConfigureAwait(false);
                break;
            case "s16le":
                await _stream.WriteAsync(PcmEncoder.Encode(samples, WavSampleFormat.Pcm16)).ConfigureAwait(false);
                break;
            default:
                await _stream.WriteAsync(chunk.Data.Memory).ConfigureAwait(false);
                break;
        }

        var frames = samples.Length / Math.Max(1, (int)chunk.Channels);
        FramesWritten += frames;
        SecondsWritten += (double)frames / chunk.SampleRate;
    }

    /// <summary>Keep the file: what was written so far becomes the output when the sink is disposed.</summary>
    public void Complete() => _completed = true;

    public async ValueTask DisposeAsync()
    {
        if (_wav is not null)
        {
            await _wav.DisposeAsync().ConfigureAwait(false);
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        if (_file is not null)
        {
            if (_completed)
            {
                _file.Commit();
            }

            _file.Dispose();
        }
    }
}
