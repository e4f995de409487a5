using System.Runtime.CompilerServices;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// A file a reconnecting client sends. The first call sends the file itself (paced at 1x by media time when
/// <c>paced</c>, like ffmpeg -re). A call after a broken one sends an MPEG-TS copy of the file's video, made once
/// beforehand with <c>-c copy</c>, from the last keyframe at or before the resume point: the live position (the media time
/// the 1x pacing has reached by now) when paced, else the media time the audio reached. MPEG-TS can be entered at a packet
/// boundary: the copy is sent from the last PAT before that keyframe, so the daemon's ffmpeg finds the program and starts
/// decoding at the keyframe, which is the new call's media time 0. Not thread-safe; one call at a time.
/// </summary>
internal sealed class ResumableFile : IResumableSource, IAsyncDisposable
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
    private readonly string? _copy;
    private readonly MediaByteIndex? _copyIndex;
    private MediaPacedStream? _firstPaced;

    private ResumableFile(string path, MediaByteIndex? index, bool paced, StreamClientOptions options, TimeProvider time, Func<FileCall, Action<long>?>? sendObserver, string? copy, MediaByteIndex? copyIndex)
    {
        _path = path;
        _index = index;
        _paced = paced && index is not null;
        _options = options;
        _time = time;
        _sendObserver = sendObserver;
        _copy = copy;
        _copyIndex = copyIndex;
        _client = new StreamClient(options, time);
    }

    /// <summary>
    /// Prepares <paramref name="path"/>: with <paramref name="resumable"/>, its MPEG-TS copy and that copy's index (a
    /// <see cref="MediaException"/> when ffmpeg cannot put the video in MPEG-TS).
    /// </summary>
    /// <param name="index">The file's byte index; with <paramref name="paced"/> the file is sent at 1x by it.</param>
    /// <param name="sendObserver">Told about each call as it opens; what it returns is called with the bytes sent so far as each message goes out.</param>
    public static async Task<ResumableFile> PrepareAsync(string path, MediaByteIndex? index, bool paced, bool resumable, StreamClientOptions options, TimeProvider time, Func<FileCall, Action<long>?>? sendObserver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? copy = null;
        MediaByteIndex? copyIndex = null;
        if (resumable)
        {
            copy = Path.Combine(Path.GetTempPath(), $"v2a-resume-{Guid.NewGuid():N}.ts");
            try
            {
                await new FfmpegTool().RunAsync(["-i", path, "-map", "0:v:0", "-c", "copy", "-f", "mpegts", "-y", copy], $"an MPEG-TS copy of {Path.GetFileName(path)} (to resume from)", cancellationToken).ConfigureAwait(false);
                copyIndex = await MediaByteIndex.ReadAsync(copy, cancellationToken).ConfigureAwait(false)
                    ?? throw new MediaException(MediaErrorReason.Failed, $"The MPEG-TS copy of {Path.GetFileName(path)} has no video packets to resume from.", path, string.Empty);
            }
            catch
            {
                File.Delete(copy);
                throw;
            }
        }

        return new ResumableFile(path, index, paced, options, time, sendObserver, copy, copyIndex);
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

        if (_copy is null || _copyIndex is null)
        {
            throw new InvalidOperationException("This file was not prepared to be resumed.");
        }

        var started = _firstPaced?.StartedTimestamp;
        var resumeAt = _paced && started is { } origin ? _time.GetElapsedTime(origin).TotalSeconds : reached;
        var (keyframeSeconds, keyframeByte) = _copyIndex.KeyframeAtOrBefore(resumeAt) ?? (0, 0);
        var copyStream = File.OpenRead(_copy);
        copyStream.Position = PatBefore(copyStream, keyframeByte);
        var from = copyStream.Position;
        Stream input = _paced ? new MediaPacedStream(copyStream, _copyIndex, _time, startPosition: from, startedTimestamp: started) : copyStream;
        var resumedObserver = _sendObserver?.Invoke(new FileCall(_copyIndex, copyStream.Length, from, started));
        return Task.FromResult(new ResumedCall(SendAsync(input, resumedObserver, cancellationToken), keyframeSeconds));
    }

    public ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            File.Delete(_copy);
        }

        return ValueTask.CompletedTask;
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
