namespace V2AStream.Core.Pipeline;

/// <summary>
/// Where a pipeline reports what it does, for a host to expose (the daemon's /metrics). One sink serves every
/// stream at once, so implementations must be thread-safe; every call is cheap and never blocks a stage.
/// </summary>
public interface IPipelineMetrics
{
    /// <summary>One frame reached the pipeline from ffmpeg.</summary>
    void OnFrameIngested();

    /// <summary>
    /// A stage finished one unit of its own work: <paramref name="stage"/> is "embed" (one batch), "plan" (one
    /// frame), "generate" (one block) or "stitch" (one generated item); waiting for input or output is not counted.
    /// </summary>
    void OnStageWork(string stage, TimeSpan elapsed);

    /// <summary>A model ran: <paramref name="model"/> is "embedder" or "generator".</summary>
    void OnModelRun(string model, TimeSpan elapsed);

    /// <summary>One block of audio was generated.</summary>
    void OnBlockGenerated();

    /// <summary>A generator run of a model set's scheduler carried <paramref name="blocks"/> blocks (its batch, from one or more streams).</summary>
    void OnGenerationBatch(int blocks);

    /// <summary>
    /// A running stream's queues: <paramref name="depths"/> reports each channel's current item count and may be
    /// called from any thread until the returned registration is disposed (when the stream ends).
    /// </summary>
    IDisposable TrackQueues(Func<IReadOnlyList<KeyValuePair<string, int>>> depths);
}
