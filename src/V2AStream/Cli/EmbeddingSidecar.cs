using System.Text.Json;
using V2AStream.Core.Media;

namespace V2AStream.Cli;

/// <summary>
/// The .json <c>v2a embed</c> writes beside its .npy (emb.npy -> emb.json), the same object <c>embed --json</c> prints:
/// where the rows came from, the rate they were sampled at, and each row's media time. <c>v2a scenes EMB.npy</c> reads
/// it, so the embeddings carry their own clock.
/// </summary>
internal sealed record EmbeddingSidecar(
    string Source,
    string Npy,
    string ModelSet,
    string Embedder,
    int Dim,
    double Fps,
    int Frames,
    EmbeddingSidecar.FrameGeometry Geometry,
    IReadOnlyList<double> Timestamps,
    ProbeInfo? Probe,
    string? Warning)
{
    /// <summary>emb.npy -> emb.json.</summary>
    public static string PathFor(string npyPath) => Path.ChangeExtension(Path.GetFullPath(npyPath), ".json");

    /// <summary>
    /// The sampling rate and row count recorded beside <paramref name="npyPath"/>, or null when there is no sidecar (a
    /// .npy written by numpy.save); a sidecar that cannot be read is an <see cref="InvalidDataException"/> naming it.
    /// </summary>
    public static async Task<(double Fps, int Frames)?> ReadClockAsync(string npyPath, CancellationToken cancellationToken)
    {
        var path = PathFor(npyPath);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            var fps = root.GetProperty("fps").GetDouble();
            var frames = root.GetProperty("frames").GetInt32();
            return fps > 0 && frames >= 0 ? (fps, frames) : throw new InvalidDataException($"{path} gives fps {fps} and {frames} frames.");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}, written beside the .npy by 'v2a embed', cannot be read ({ex.Message.TrimEnd('.')}): remove it, or embed again.", ex);
        }
    }

    /// <summary>How frames were made to fit the embedder: the resize mode and the size.</summary>
    internal sealed record FrameGeometry(string Resize, int Width, int Height);
}
