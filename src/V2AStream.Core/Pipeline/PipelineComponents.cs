using V2AStream.Core.Embedding;
using V2AStream.Core.Generation;
using V2AStream.Core.Mapping;
using V2AStream.Core.Models;
using V2AStream.Onnx;

namespace V2AStream.Core.Pipeline;

/// <summary>
/// The three parts of a model set that a pipeline runs. Each part is thread-safe, so one instance serves
/// every stream of that set; the host owns it and disposes it at shutdown.
/// </summary>
public sealed record PipelineComponents(string ModelSetName, IFrameEmbedder Embedder, IConditionMapper Mapper, IAudioGenerator Generator) : IDisposable
{
    /// <summary>
    /// Builds <paramref name="set"/>'s parts, checking that they fit together (embedder output, mapper input and
    /// output, generator condition). <paramref name="sessions"/> (which fixes the device) is needed only by sets that
    /// run ONNX models. Throws <see cref="ModelSetException"/> naming the file or the mismatch.
    /// </summary>
    public static PipelineComponents Create(ModelSetManifest set, ModelSetCatalog catalog, OrtSessionFactory? sessions)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(catalog);
        if (set.NeedsOnnxRuntime && sessions is null)
        {
            throw new ModelSetException(ModelSetErrorReason.RuntimeUnavailable, $"Model set '{set.Name}' needs ONNX Runtime, which is not available: run './v2a doctor', or use --model-set builtin.", set.Directory);
        }

        var embedder = FrameEmbedderFactory.Create(set, catalog, sessions);
        IAudioGenerator? generator = null;
        try
        {
            var mapper = ConditionMapperFactory.Create(set.Mapper, set.Directory);
            generator = AudioGeneratorFactory.Create(set.Generator, set.Directory, sessions);
            if (mapper.InputDimension is { } mapperInput && mapperInput != embedder.Dim)
            {
                throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"Model set '{set.Name}': the {embedder.Name} embedder gives {embedder.Dim} values but the {mapper.Kind} mapper takes {mapperInput}.", set.Directory);
            }

            var condition = mapper.OutputDimension ?? mapper.InputDimension ?? embedder.Dim;
            if (generator.ConditionDimension is { } needed && needed != condition)
            {
                throw new ModelSetException(ModelSetErrorReason.ContractMismatch, $"Model set '{set.Name}': the {mapper.Kind} mapper gives {condition} values but the {generator.Kind} generator needs {needed}.", set.Directory);
            }

            return new PipelineComponents(set.Name, embedder, mapper, generator);
        }
        catch
        {
            embedder.Dispose();
            generator?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Embedder.Dispose();
        Generator.Dispose();
    }
}
