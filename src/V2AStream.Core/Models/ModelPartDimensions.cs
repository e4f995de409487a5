namespace V2AStream.Core.Models;

/// <summary>
/// The vector lengths a part takes and gives, which is what must agree between the parts of a set (the embedder's
/// output is the mapper's input, the mapper's output the generator's condition).
/// </summary>
/// <param name="Input">The length it takes; null when any length works (or it takes no vector).</param>
/// <param name="Output">The length it gives; null when it gives no vector, or one as long as its input.</param>
public readonly record struct ModelPartDimensions(int? Input, int? Output);
