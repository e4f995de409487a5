using V2AStream.Core.Media;

namespace V2AStream.Client;

/// <summary>
/// An MPEG-TS copy of a file's video (<c>ffmpeg -c copy</c>, made once) and its byte index, from which a reconnecting client
/// sends a new call part way through the file (<see cref="ResumableFile"/>). Deleting it is the owner's job (dispose).
/// </summary>
internal sealed class MpegTsCopy : IAsyncDisposable
{
    private MpegTsCopy(string path, MediaByteIndex index)
    {
        Path = path;
        Index = index;
    }

    public string Path { get; }

    public MediaByteIndex Index { get; }

    /// <summary>Makes the copy in the temp folder; a <see cref="MediaException"/> when ffmpeg cannot put the video in MPEG-TS.</summary>
    public static async Task<MpegTsCopy> MakeAsync(string source, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"v2a-resume-{Guid.NewGuid():N}.ts");
        try
        {
            await new FfmpegTool().RunAsync(["-i", source, "-map", "0:v:0", "-c", "copy", "-f", "mpegts", "-y", path], $"an MPEG-TS copy of {System.IO.Path.GetFileName(source)} (to resume from)", cancellationToken).ConfigureAwait(false);
            var index = await MediaByteIndex.ReadAsync(path, cancellationToken).ConfigureAwait(false)
                ?? throw new MediaException(MediaErrorReason.Failed, $"The MPEG-TS copy of {System.IO.Path.GetFileName(source)} has no video packets to resume from.", source, string.Empty);
            return new MpegTsCopy(path, index);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
