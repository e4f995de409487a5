using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2AStream.Core.Media;

/// <summary>
/// Runs one ffmpeg command to its end (muxing, making a clip) with the frame reader's hygiene:
/// ArgumentList only, stderr drained into a bounded tail, stopped and reaped when cancelled.
/// A non-zero exit becomes a <see cref="MediaException"/> with ffmpeg's last words.
/// </summary>
public sealed class FfmpegTool(string ffmpegPath = "ffmpeg", ILogger<FfmpegTool>? logger = null)
{
    private const int TailLines = 24;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Runs ffmpeg with <paramref name="arguments"/>; <paramref name="subject"/> names the work in errors.</summary>
    public async Task RunAsync(IReadOnlyList<string> arguments, string subject, CancellationToken cancellationToken)
    {
        var process = await FfmpegProcess.StartAsync(ffmpegPath, ["-hide_banner", "-loglevel", "error", .. arguments], stdinCarriesMedia: false, TailLines, subject, _logger, FrameReaderOptions.DefaultMemoryLimitBytes).ConfigureAwait(false);
        await using (process.ConfigureAwait(false))
        {
            int exitCode;
            try
            {
                exitCode = await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await process.StopAsync(StopGrace).ConfigureAwait(false);
                throw;
            }

            if (exitCode != 0)
            {
                var lastLine = process.Tail.Lines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? $"exit code {exitCode}";
                throw new MediaException(MediaErrorReason.Failed, $"ffmpeg failed on {subject}: {lastLine}", subject, process.Tail.ToString());
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="outputPath"/>: the video of <paramref name="videoPath"/> (copied, not re-encoded) with
    /// <paramref name="audioPath"/> as its sound (AAC), ending with the shorter of the two.
    /// </summary>
    public Task MuxAsync(string videoPath, string audioPath, string outputPath, CancellationToken cancellationToken) =>
        RunAsync(
            ["-y", "-i", videoPath, "-i", audioPath, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-b:a", "128k", "-shortest", "-movflags", "+faststart", outputPath],
            $"muxing {Path.GetFileName(videoPath)} with {Path.GetFileName(audioPath)}",
            cancellationToken);
}
