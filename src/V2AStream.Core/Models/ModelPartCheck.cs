namespace V2AStream.Core.Models;

/// <summary>The verdict on one part or file of a model set.</summary>
/// <param name="Part">embedder, mapper, generator, or generator.unet / .vae_decoder / .vocoder / .unconditional.</param>
/// <param name="Kind">The manifest kind of the part.</param>
/// <param name="File">The file checked, when there is one.</param>
/// <param name="Ok">Whether it matches its contract.</param>
/// <param name="Message">What was found, or what is wrong and what to do.</param>
/// <param name="Tensor">The tensor at fault, when there is one.</param>
public sealed record ModelPartCheck(string Part, string Kind, string? File, bool Ok, string Message, string? Tensor = null);
