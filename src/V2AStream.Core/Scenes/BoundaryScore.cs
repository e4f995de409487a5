namespace V2AStream.Core.Scenes;

/// <summary>
/// A detector's decision on one boundary: between frames <see cref="Frame"/> - 1 and <see cref="Frame"/> (a cut there
/// starts a scene at <see cref="Frame"/>, at <see cref="TimeSeconds"/>). What thresholds are tuned on: export it over a
/// set of clips (<c>v2a scenes --scores</c>, the daemon's debug log) rather than reading it off one clip.
/// </summary>
/// <param name="Score">The boundary's score (robust: the window-normalized dS; paper: dS).</param>
/// <param name="Threshold">What the score had to exceed (robust: median + tau x 1.4826 x MAD of the quiet history,
/// clamped to [floor, 2 floor]; paper: tau x std(dS)).</param>
/// <param name="Floor">Robust: the absolute floor under the threshold; null for the paper detector.</param>
/// <param name="Change">Robust: the boundary's absolute change (the squared distance of the block means as a share of the
/// mean squared norm); null for the paper detector.</param>
/// <param name="MinimumChange">Robust: what the change had to exceed; null for the paper detector.</param>
/// <param name="IsCut">Whether the boundary became a cut (also the local-maximum and minimum-scene rules passed).</param>
public readonly record struct BoundaryScore(int Frame, double TimeSeconds, double Score, double Threshold, double? Floor, double? Change, double? MinimumChange, bool IsCut);
