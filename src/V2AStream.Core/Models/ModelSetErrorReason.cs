namespace V2AStream.Core.Models;

/// <summary>Why a model set cannot be used.</summary>
public enum ModelSetErrorReason
{
    /// <summary>No set of that name or folder.</summary>
    NotFound,

    /// <summary>model-set.json is missing, not JSON, or lacks a required field.</summary>
    InvalidManifest,

    /// <summary>A kind the program does not know.</summary>
    UnknownKind,

    /// <summary>A file the manifest names is absent.</summary>
    MissingFile,

    /// <summary>A file does not match its contract (tensor name, shape or dtype).</summary>
    ContractMismatch,

    /// <summary>A file is not what its extension says (a safetensors or .npy file that cannot be parsed).</summary>
    CorruptFile,

    /// <summary>The set needs ONNX Runtime, which is not available.</summary>
    RuntimeUnavailable,
}
