namespace V2AStream.Core.Training;

/// <summary>Where a dataset build stands after a video: <paramref name="VideosDone"/> of <paramref name="VideosTotal"/>, the last one, and the rows so far.</summary>
public sealed record DatasetBuildProgress(int VideosDone, int VideosTotal, string Video, int Segments);
