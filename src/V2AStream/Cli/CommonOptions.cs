using System.CommandLine;
using V2AStream.Client;
using V2AStream.Core.Pipeline;

namespace V2AStream.Cli;

/// <summary>
/// The options several commands share, made in one place so they are spelled, shown and parsed the same everywhere:
/// <c>-o/--out</c>, <c>--json</c>, <c>--server</c>, the audio output options and <c>--mode</c>.
/// </summary>
internal static class CommonOptions
{
    /// <summary><c>-o/--out FILE</c>: where the command writes its result.</summary>
    public static Option<string> Out(string description, bool required = true) => new("--out", "-o")
    {
        Description = description,
        HelpName = "FILE",
        Required = required,
    };

    /// <summary><c>--json</c>: the result on stdout as JSON (README.md, "Machine-readable output"), and no progress display.</summary>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary><c>--server HOST:PORT|http(s)://HOST:PORT</c>, the daemon to talk to.</summary>
    public static AddressOption Server(string description = "The daemon's address.") => new("--server", description, ServerAddress.Default, ServerAddress.Default);

    /// <summary><c>--format wav|s16le|f32le</c>: the audio's encoding.</summary>
    public static ChoiceOption<string> Format() =>
        new("--format", "wav (16-bit), or raw s16le or f32le samples (interleaved when stereo).", [("wav", "wav"), ("s16le", "s16le"), ("f32le", "f32le")], "wav");

    /// <summary><c>--sample-rate 16000|44100|48000</c>.</summary>
    public static ChoiceOption<int> SampleRate() =>
        new("--sample-rate", "Samples per second of the audio written (the generator's 16 kHz resampled when higher).", [("16000", 16000), ("44100", 44100), ("48000", 48000)], "16000");

    /// <summary><c>--channels 1|2</c>.</summary>
    public static ChoiceOption<int> Channels() =>
        new("--channels", "Mono, or the same sound on both stereo channels.", [("1", 1), ("2", 2)], "1");

    /// <summary><c>--mode live|quality</c>; with no default the command decides (live for real-time input, else quality).</summary>
    public static ChoiceOption<GenerationMode?> Mode(string description, string? defaultName) =>
        new("--mode", description, [("live", GenerationMode.Live), ("quality", GenerationMode.Quality)], defaultName);
}
