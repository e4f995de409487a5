namespace V2AStream.Core.Pipeline;

/// <summary>A metrics sink that drops everything: the default when a host does not collect metrics.</summary>
public sealed class NullPipelineMetrics : IPipelineMetrics
{
    public static NullPipelineMetrics Instance { get; } = new();

    private NullPipelineMetrics()
    {
    }

    public void OnFrameIngested()
    {
    }

    public void OnStageWork(string stage, TimeSpan elapsed)
    {
    }

    public void OnModelRun(string model, TimeSpan elapsed)
    {
    }

    public void OnBlockGenerated()
    {
    }

    public void OnGenerationBatch(int blocks)
    {
    }

    public IDisposable TrackQueues(Func<IReadOnlyList<KeyValuePair<string, int>>> depths) => NoRegistration.Instance;

    private sealed class NoRegistration : IDisposable
    {
        public static NoRegistration Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
