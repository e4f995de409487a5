using V2AStream.Core.Media;

namespace V2AStream.Client;

/// <summary>
/// A file as a client sends it over Generate: the file itself, or, when it is an MP4/MOV whose index (moov) comes after
/// its media (ffmpeg's default, most cameras), a copy remuxed with its index first (<c>-c copy</c>: no re-encode) in a
/// temporary folder, deleted on dispose. The daemon could only decode the original once all of it had arrived, so it
/// refuses it at once; the client has the whole file and can fix it first.
/// </summary>
internal sealed class StreamableFile : IAsyncDisposable
{
    private readonly string? _temporaryDirectory;

    private StreamableFile(string path, string? temporaryDirectory)
    {
        Path = path;
        _temporaryDirectory = temporaryDirectory;
    }

    /// <summary>The file to send.</summary>
    public string Path { get; }

    /// <summary>Whether <see cref="Path"/> is a remuxed copy.</summary>
    public bool Remuxed => _temporaryDirectory is not null;

    /// <summary>Looks at the first bytes of <paramref name="path"/> and remuxes it when its index is at its end.</summary>
    public static async Task<StreamableFile> PrepareAsync(string path, CancellationToken cancellationToken)
    {
        if (IsoMediaLayout.OfFile(path) != IsoLayout.IndexAtEnd)
        {
            return new StreamableFile(path, null);
        }

        var directory = Directory.CreateTempSubdirectory("v2a-remux-").FullName;
        var remuxed = System.IO.Path.Combine(directory, System.IO.Path.GetFileNameWithoutExtension(path) + ".mp4");
        try
        {
            await new FfmpegTool().RunAsync(
                ["-nostdin", "-i", path, "-map", "0:v:0", "-map", "0:a?", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", remuxed],
                $"moving the index of {System.IO.Path.GetFileName(path)} to its start",
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        return new StreamableFile(remuxed, directory);
    }

    public ValueTask DisposeAsync()
    {
        if (_temporaryDirectory is not null)
        {
            try
            {
                Directory.Delete(_temporaryDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing the stream for.
            }
        }

        return ValueTask.CompletedTask;
    }
}
