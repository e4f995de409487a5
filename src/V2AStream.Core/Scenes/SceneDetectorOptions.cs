namespace V2AStream.Core.Scenes;

/// <summary>
/// Settings shared by the scene detectors. Times are media seconds at <see cref="FramesPerSecond"/> (the rate the
/// embeddings were sampled at). Call <see cref="Validate"/> at the edge (CLI, stream config); detectors call it too.
/// </summary>
public sealed record SceneDetectorOptions
{
    /// <summary>The largest sliding window, in frames: the incremental detector keeps a W x W Gram window.</summary>
    public const int MaxWindowFrames = 8192;

    /// <summary>Which detector to run.</summary>
    public SceneDetectorKind Detector { get; init; } = SceneDetectorKind.Robust;

    /// <summary>Rate of the embeddings: frame k sits at k / FramesPerSecond seconds.</summary>
    public double FramesPerSecond { get; init; } = 4.0;

    /// <summary>
    /// Threshold multiplier. Paper: dS_i &gt; Tau * std(dS). Robust: score &gt; median + Tau * 1.4826 * MAD of the recent
    /// scores (1.4826 * MAD estimates the standard deviation of normal noise), so the same number means "Tau sigmas" in both.
    /// </summary>
    public double Tau { get; init; } = 5.0;

    /// <summary>
    /// Robust only: the absolute floor on the window-normalized score (a clean cut between two shots scores 1 to 2, noise
    /// in a window without a cut about 1.1/sqrt(D)), so that a window with no cut flags nothing.
    /// </summary>
    public double ScoreFloor { get; init; } = 0.35;

    /// <summary>
    /// Robust only: the smallest window variance (mean squared distance of the embeddings to their mean, as a share of
    /// their mean squared norm) the scores are normalized by, so that in a still window a flicker does not pass for a cut.
    /// </summary>
    public double MinRelativeVariance { get; init; } = 0.02;

    /// <summary>
    /// Robust only: the absolute floor a cut must pass besides the window-relative threshold: the squared distance between
    /// the mean embeddings of the lookahead + 1 frames before and after it, as a share of the window's mean squared norm
    /// (2 (1 - cosine) for L2-normalized embeddings). It sits between the two populations it separates: codec flicker
    /// on a still picture moves MobileNetV2 features by at most 0.04 and pixel features by 0.0002, while every hard cut
    /// of the shared evaluation set (../shared/data/cuts, bench/README.md) changes them by 0.28 or more; 0.1 leaves a
    /// margin of more than 2x on both sides.
    /// </summary>
    public double MinRelativeChange { get; init; } = 0.1;

    /// <summary>Robust only: a cut closer than this to the previous cut (or to the start) is dropped.</summary>
    public double MinSceneSeconds { get; init; } = 1.0;

    /// <summary>Robust only: frames after a candidate cut that are seen before it becomes final.</summary>
    public int LookaheadFrames { get; init; } = 2;

    /// <summary>Robust only: the sliding window the scores are computed over.</summary>
    public double WindowSeconds { get; init; } = 8.0;

    /// <summary>The window in frames: WindowSeconds * FramesPerSecond, rounded.</summary>
    public int WindowFrames => (int)Math.Min(int.MaxValue, Math.Round(WindowSeconds * FramesPerSecond));

    /// <summary>The minimum scene length in frames (at least 1).</summary>
    public int MinSceneFrames => (int)Math.Max(1, Math.Min(int.MaxValue, Math.Round(MinSceneSeconds * FramesPerSecond)));

    /// <summary>Throws <see cref="SceneDetectionException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(FramesPerSecond) || FramesPerSecond <= 0 || FramesPerSecond > 1000)
        {
            throw Invalid($"frames per second must be in (0, 1000], got {FramesPerSecond}");
        }

        if (!double.IsFinite(Tau) || Tau < 0)
        {
            throw Invalid($"tau must be a finite number >= 0, got {Tau}");
        }

        if (!double.IsFinite(ScoreFloor) || ScoreFloor < 0)
        {
            throw Invalid($"score floor must be a finite number >= 0, got {ScoreFloor}");
        }

        if (!double.IsFinite(MinRelativeVariance) || MinRelativeVariance < 0 || MinRelativeVariance > 1)
        {
            throw Invalid($"minimum relative variance must be in [0, 1], got {MinRelativeVariance}");
        }

        if (!double.IsFinite(MinRelativeChange) || MinRelativeChange < 0)
        {
            throw Invalid($"minimum relative change must be a finite number >= 0, got {MinRelativeChange}");
        }

        if (!double.IsFinite(MinSceneSeconds) || MinSceneSeconds < 0)
        {
            throw Invalid($"minimum scene length must be a finite number of seconds >= 0, got {MinSceneSeconds}");
        }

        if (LookaheadFrames < 0 || LookaheadFrames > 1000)
        {
            throw Invalid($"lookahead must be 0 to 1000 frames, got {LookaheadFrames}");
        }

        if (!double.IsFinite(WindowSeconds) || WindowSeconds <= 0)
        {
            throw Invalid($"window must be a finite number of seconds > 0, got {WindowSeconds}");
        }

        var minimumWindow = (2 * LookaheadFrames) + 2;
        if (WindowFrames < minimumWindow || WindowFrames > MaxWindowFrames)
        {
            throw Invalid(
                $"window must hold {minimumWindow} to {MaxWindowFrames} frames (2 x lookahead + 2 at least), got {WindowFrames} ({WindowSeconds} s at {FramesPerSecond} fps)");
        }
    }

    private static SceneDetectionException Invalid(string what) =>
        new(SceneDetectionError.InvalidOptions, $"invalid scene detector options: {what}.");
}
