using System.Globalization;
using V2AStream.Client;

namespace V2AStream.Cli;

/// <summary>What a command says when Ctrl-C or SIGTERM stopped it, about the outputs it leaves.</summary>
internal static class Interrupted
{
    /// <summary>
    /// For <c>run</c> and <c>stream</c>, which keep the audio made so far (as ffmpeg does): marks the sink complete when it
    /// holds audio, and says what was kept.
    /// </summary>
    public static string KeepAudio(AudioSink sink, string outPath, string? muxPath)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (outPath == "-")
        {
            return string.Create(CultureInfo.InvariantCulture, $"interrupted: {sink.SecondsWritten:F2} s of audio had gone to stdout.");
        }

        if (sink.FramesWritten == 0)
        {
            return $"interrupted: no audio had been made; {outPath} was not written.";
        }

        sink.Complete();
        var mux = muxPath is null ? string.Empty : $"; {muxPath} was not made";
        return string.Create(CultureInfo.InvariantCulture, $"interrupted: kept the {sink.SecondsWritten:F2} s of audio made so far in {outPath}{mux}.");
    }
}
