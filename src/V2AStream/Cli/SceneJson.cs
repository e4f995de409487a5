using V2AStream.Core.Pipeline;
using V2AStream.Core.Scenes;
using V2AStream.Protos.V1;

namespace V2AStream.Cli;

/// <summary>
/// A scene, the one way every --json output shows it (<c>scenes</c>, <c>run</c>, <c>stream</c>, <c>demo</c>, and the
/// sample clients for the daemon's SceneEvent): <c>{"index", "start_s", "end_s", "start_frame", "end_frame", "score",
/// "labels"}</c>. Times are media seconds, [start_s, end_s); frames are the sampled frames it spans, end_frame included
/// (frame k sits at k / fps); score is the cut's that started it (0 for the first scene); labels name its sound when
/// the mapper gives names.
/// </summary>
internal sealed record SceneJson(int Index, double StartS, double EndS, int StartFrame, int EndFrame, double Score, IReadOnlyList<string> Labels)
{
    public static SceneJson From(SceneUpdate scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        return new(scene.SceneIndex, scene.StartSeconds, scene.EndSeconds, scene.StartFrame, scene.EndFrameExclusive - 1, scene.Score, scene.Labels);
    }

    /// <summary>A scene the daemon sent; <paramref name="fps"/> is the stream's sample rate of frames (StreamStarted).</summary>
    public static SceneJson From(SceneEvent scene, double fps)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var start = scene.StartUs / 1e6;
        var end = scene.EndUs / 1e6;
        return new((int)scene.SceneIndex, start, end, (int)Math.Round(start * fps), (int)Math.Round(end * fps) - 1, scene.Score, [.. scene.Labels]);
    }

    /// <summary>Scene <paramref name="index"/> of an offline detection, started by a cut of <paramref name="score"/>.</summary>
    public static SceneJson From(int index, Scene scene, double score) =>
        new(index, scene.StartSeconds, scene.EndSeconds, scene.StartFrame, scene.EndFrame, score, []);
}
