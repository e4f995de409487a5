namespace V2AStream.Core.Models;

/// <summary>
/// One part of a manifest as its kind parsed it: the kind's name and the fields the kind reads. Each kind parses its
/// part into a subtype of this (kinds of one slot may share one). Immutable.
/// </summary>
public abstract record ModelPartSpec
{
    /// <summary>The kind's name as the manifest writes it, e.g. "onnx-image".</summary>
    public required string Kind { get; init; }
}
