using System.Text.Json;

namespace V2AStream.Core.Models;

/// <summary>
/// Everything the program knows about one kind of model part, in one place: its slot and name, how to read its part of
/// a manifest, whether it runs on ONNX Runtime, how to check its files against their contracts, and how to build it.
/// A kind is one sealed class deriving from <see cref="ModelPartKind{TSpec, TPart}"/>; <see cref="ModelPartRegistry"/>
/// finds it, so adding a kind touches no other file. Implementations are stateless and thread-safe.
/// </summary>
public interface IModelPartKind
{
    ModelPartSlot Slot { get; }

    /// <summary>The name manifests use for it, e.g. "onnx-image".</summary>
    string Name { get; }

    /// <summary>Whether building it opens ONNX models (so the set needs ONNX Runtime).</summary>
    bool NeedsOnnxRuntime { get; }

    /// <summary>What building the part gives: the interface the pipeline or a caller asks the loaded set for.</summary>
    Type PartType { get; }

    /// <summary>Reads the part's JSON object; throws <see cref="ModelSetException"/> (InvalidManifest) saying what is wrong.</summary>
    ModelPartSpec Parse(JsonElement part, string manifestPath);

    /// <summary>The file names <paramref name="spec"/> holds, as the manifest writes them (checked to stay inside the set's folder).</summary>
    IReadOnlyList<string> FileNames(ModelPartSpec spec);

    /// <summary>Checks the part's files against their contracts as building it would, reporting every problem found; never throws for a bad file.</summary>
    ModelPartReport Check(ModelPartSpec spec, ModelPartContext context);

    /// <summary>Builds the part (of <see cref="PartType"/>); throws <see cref="ModelSetException"/> naming the file or tensor at fault.</summary>
    object Create(ModelPartSpec spec, ModelPartContext context);

    /// <summary>The vector lengths the built part takes and gives.</summary>
    ModelPartDimensions Dimensions(object part);
}
