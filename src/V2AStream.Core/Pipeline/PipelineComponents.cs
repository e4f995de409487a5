using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Mapping;

namespace V2AStream.Core.Pipeline;

/// <summary>The model set's three parts a pipeline runs: shared by streams (each is thread-safe), owned by the host.</summary>
public sealed record PipelineComponents(string ModelSetName, IFrameEmbedder Embedder, IConditionMapper Mapper, IAudioGenerator Generator) : IDisposable
{
    public void Dispose()
    {
        Embedder.Dispose();
        Generator.Dispose();
    }
}
