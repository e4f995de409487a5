using V2AStream.Running;

namespace V2AStream.Cli;

/// <summary>
/// The rules <c>run</c> and <c>stream</c> share for their audio outputs, checked before any work: <c>--mux</c> copies
/// the input's video again, so it needs a file input and a WAV file out; <c>--json</c> owns stdout, so the audio cannot go
/// there too. Throws <see cref="CliUsageException"/>.
/// </summary>
internal static class AudioOutputUsage
{
    public static void Check(string input, string outPath, string format, string? muxPath, bool json)
    {
        var fileInput = input != "-" && !SourceArgument.IsUrl(input);
        if (muxPath is not null && (!fileInput || outPath == "-" || format != "wav"))
        {
            throw new CliUsageException("--mux needs a file input and --out FILE with --format wav.");
        }

        if (json && outPath == "-")
        {
            throw new CliUsageException("--json and --out - both write to stdout: give --out a file.");
        }
    }
}
