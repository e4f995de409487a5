namespace V2AStream.Core.Pipeline;

/// <summary>
/// Final audio: mono float PCM at <see cref="SampleRate"/>, covering [<see cref="StartSample"/>,
/// StartSample + Samples.Length) of media time with no gap or overlap with the chunks before it.
/// </summary>
/// <param name="Sequence">0 for the first chunk.</param>
/// <param name="SceneIndex">The scene at the chunk's start.</param>
/// <param name="SourceReceivedTimestamp">Stopwatch timestamp at which the frame at the chunk's end media time
/// reached the pipeline (or the newest frame, when that one had not yet arrived): the start of the chunk's latency.</param>
public sealed record AudioChunkReady(long Sequence, long StartSample, float[] Samples, int SampleRate, int SceneIndex, long SourceReceivedTimestamp) : PipelineEvent;
