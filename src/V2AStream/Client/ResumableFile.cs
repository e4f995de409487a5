using System.Runtime.CompilerServices;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// A file a reconnecting client sends. The first call sends the file itself (paced at 1x by media time when
/// <c>paced</c>, like ffmpeg -re). A call after a broken one sends an MPEG-TS copy of the file's video, made once
/// beforehand with <c>-c copy</c>, from the last keyframe at or before the resume point: the live position (the media time
/// the 1x pacing has reached by now) when paced, else the media time the audio reached. MPEG-TS can be entered at a packet
/// boundary: the copy is sent from the last PAT before that keyframe, so the daemon's ffmpeg finds the program and starts
/// decoding at the keyframe, which is the new call's media time 0 (<see cref="MpegTsCopy"/>). Not thread-safe; one call at a time.
/// </summary>
internal sealed class ResumableFile : IResumableSource
{
    private const int TsPacketBytes = 188;

    /// <summary>How far before a keyframe a PAT is looked for (ffmpeg's muxer repeats it every 0.1 s).</summary>
    private const long PatSearchBytes = 4 << 20;

    private readonly string _path;
    private readonly MediaByteIndex? _index;
    private readonly bool _paced;
    private readonly StreamClient _client;
    private readonly StreamClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<FileCall, Action<long>?>? _sendObserver;
    private readonly MpegTsCopy? _copy;
    private MediaPacedStream? _firstPaced;

    /// <param name="path">The file.</param>
    /// <param name="index">The file's byte index; with <paramref name="paced"/> the file is sent at 1x by it.</param>
    /// <param name="paced">Send at 1x by media time (needs <paramref name="index"/>); a new call then goes on from the live position.</param>
    /// <param name="copy">The file's MPEG-TS copy, to resume from; null when the file is sent only once.</param>
    /// <param name="options">The calls' server, token and config.</param>
    /// <param name="time">The clock pacing runs on.</param>
    /// <param name="sendObserver">Told about each call as it opens; what it returns is called with the bytes sent so far as each message goes out.</param>
    public ResumableFile(string path, MediaByteIndex? index, bool paced, MpegTsCopy? copy, StreamClientOptions options, TimeProvider time, Func<FileCall, Action<long>?>? sendObserver = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = path;
        _index = index;
        _paced = paced && index is not null;
        _copy = copy;
        _options = options;
        _time = time;
        _sendObserver = sendObserver;
        _client = new StreamClient(options, time);
    }

    public Task<ResumedCall> OpenAsync(double? reachedSeconds, CancellationToken cancellationToken)
    {
        if (reachedSeconds is not { } reached)
        {
            Stream file = File.OpenRead(_path);
            if (_paced)
            {
                file = _firstPaced = new MediaPacedStream(file, _index!, _time);
            }

            var observer = _sendObserver?.Invoke(new FileCall(_index, new FileInfo(_path).Length, 0, null));
            return Task.FromResult(new ResumedCall(SendAsync(file, observer, cancellationToken), 0));
        }

        if (_copy is null)
        {
            throw new InvalidOperationException("This file was not prepared to be resumed.");
        }

        var started = _firstPaced?.StartedTimestamp;
        var resumeAt = _paced && started is { } origin ? _time.GetElapsedTime(origin).TotalSeconds : reached;
        var (keyframeSeconds, keyframeByte) = _copy.Index.KeyframeAtOrBefore(resumeAt) ?? (0, 0);
        var copyStream = File.OpenRead(_copy.Path);
        copyStream.Position = PatBefore(copyStream, keyframeByte);
        var from = copyStream.Position;
        Stream input = _paced ? new MediaPacedStream(copyStream, _copy.Index, _time, startPosition: from, startedTimestamp: started) : copyStream;
        var resumedObserver = _sendObserver?.Invoke(new FileCall(_copy.Index, copyStream.Length, from, started));
        return Task.FromResult(new ResumedCall(SendAsync(input, resumedObserver, cancellationToken), keyframeSeconds));
    }

    private async IAsyncEnumerable<GenerateResponse> SendAsync(Stream input, Action<long>? mediaSent, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = mediaSent is null ? _client : new StreamClient(_options with { MediaSent = mediaSent }, _time);
        await using (input.ConfigureAwait(false))
        {
            await foreach (var response in client.GenerateAsync(input, cancellationToken).ConfigureAwait(false))
            {
                yield return response;
            }
        }
    }

    /// <summary>The start of the last PAT packet (PID 0) at or before <paramref name="position"/>, or the position itself when none is near.</summary>
    private static long PatBefore(FileStream file, long position)
    {
        Span<byte> header = stackalloc byte[3];
        var aligned = position - (position % TsPacketBytes);
        for (var at = aligned; at >= 0 && aligned - at <= PatSearchBytes; at -= TsPacketBytes)
        {
            file.Position = at;
            if (file.Read(header) == 3 && header[0] == 0x47 && (((header[1] & 0x1F) << 8) | header[2]) == 0)
            {
                return at;
            }
        }

        return aligned;
    }
}
