namespace V2AStream.Core.Scenes;

/// <summary>
/// A scene as an inclusive frame range and as media times: <see cref="StartSeconds"/> = start frame / fps and
/// <see cref="EndSeconds"/> = (end frame + 1) / fps, so consecutive scenes tile [0, frames / fps) without gap or overlap.
/// </summary>
public readonly record struct Scene(int StartFrame, int EndFrame, double StartSeconds, double EndSeconds);
