namespace V2AStream.Core.Scenes;

/// <summary>
/// A detected hard cut. <see cref="Frame"/> is the first frame of the new scene (0-based), <see cref="TimeSeconds"/>
/// its media time (frame / sample fps), <see cref="Score"/> the detector's score at the decision
/// (robust: the window-normalized dS; paper: dS divided by std(dS)).
/// </summary>
public readonly record struct SceneCut(int Frame, double TimeSeconds, double Score);
