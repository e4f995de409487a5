namespace V2AStream.Core.Models;

/// <summary>The verdict on one part or file of a model set.</summary>
/// <param name="Part">The slot (embedder, mapper, generator...), a file of it (generator.unet, .vae_decoder, .vocoder,
/// .unconditional), or "set" for how the parts fit together.</param>
/// <param name="Kind">The manifest kind of the part.</param>
/// <param name="File">The file checked, when there is one.</param>
/// <param name="Ok">Whether it matches its contract.</param>
/// <param name="Message">What was found, or what is wrong and what to do.</param>
/// <param name="Tensor">The tensor at fault, when there is one.</param>
/// <param name="Reason">Why it fails, when it does.</param>
public sealed record ModelPartCheck(string Part, string Kind, string? File, bool Ok, string Message, string? Tensor = null, ModelSetErrorReason? Reason = null)
{
    /// <summary>The failed verdict on <paramref name="part"/> that <paramref name="error"/> describes.</summary>
    public static ModelPartCheck Failed(string part, string kind, string? file, ModelSetException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ModelPartCheck(part, kind, error.File ?? file, false, error.Message, error.Tensor, error.Reason);
    }
}
