using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace V2AStream.Core.Media;

/// <summary>
/// One ffmpeg/ffprobe child (DESIGN.md section 8): arguments through ArgumentList only, all three streams
/// redirected, stderr drained concurrently into a bounded tail, and a stop that asks first ('q' on stdin, or
/// closing stdin when it carries media), then kills the process tree, and always waits for the exit.
/// </summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly string _program;
    private readonly bool _stdinCarriesMedia;
    private readonly Task _stderrDrained;
    private int _stopping;

    private FfmpegProcess(Process process, ILogger logger, string program, bool stdinCarriesMedia, StderrTail tail, Func<string, bool>? consumeLine)
    {
        _process = process;
        _logger = logger;
        _program = program;
        _stdinCarriesMedia = stdinCarriesMedia;
        Tail = tail;
        _stderrDrained = DrainStderrAsync(process.StandardError, tail, consumeLine);
    }

    public int Id => _process.Id;

    public StderrTail Tail { get; }

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>ffmpeg's stdin: media bytes for pipe input (the caller owns closing it), otherwise ours for 'q'.</summary>
    public Stream StandardInput => _process.StandardInput.BaseStream;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="fileName"/> through the <see cref="ChildProcessLauncher"/> (it dies with this process; its
    /// data is bounded by <paramref name="memoryLimitBytes"/> when set; <paramref name="inherited"/> stays open in it).
    /// Throws <see cref="MediaException"/> (FfmpegMissing) when it cannot.
    /// </summary>
    public static async Task<FfmpegProcess> StartAsync(string fileName, IReadOnlyList<string> arguments, bool stdinCarriesMedia, int tailLines, string input, ILogger logger, long? memoryLimitBytes = null, SafeFileHandle? inherited = null, Func<string, bool>? consumeLine = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = await ChildProcessLauncher.Shared.StartAsync(startInfo, memoryLimitBytes, inherited).ConfigureAwait(false);
        }
        catch (Win32Exception ex)
        {
            throw new MediaException(
                MediaErrorReason.FfmpegMissing,
                $"Cannot run '{fileName}' ({ex.Message}): install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) or run './v2a doctor'.",
                input,
                innerException: ex);
        }

        var program = Path.GetFileName(fileName);
        logger.ProcessStarted(program, process.Id, input, string.Join(' ', arguments.Select(UrlRedaction.Redact)));
        return new FfmpegProcess(process, logger, program, stdinCarriesMedia, new StderrTail(tailLines), consumeLine);
    }

    /// <summary>Waits for the exit and for stderr to be drained; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderrDrained.ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>
    /// Asks the child to stop, gives it <paramref name="grace"/>, then kills the whole tree; returns once it has exited.
    /// Safe to call more than once and after the child exited.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0 && !_process.HasExited)
        {
            _logger.ProcessStopping(_program, _process.Id, _stdinCarriesMedia ? "closing stdin" : "sending 'q'");
            try
            {
                if (!_stdinCarriesMedia)
                {
                    await _process.StandardInput.WriteAsync('q').ConfigureAwait(false);
                    await _process.StandardInput.FlushAsync().ConfigureAwait(false);
                }

                _process.StandardInput.Close();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Already gone, or the media pump closed stdin.
            }

            // Nobody reads frames any more: closing our end makes a blocked write in ffmpeg fail (EPIPE) at once.
            CloseQuietly(_process.StandardOutput.BaseStream);

            using var graceTimeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(graceTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.ProcessKilled(_program, _process.Id, grace.TotalMilliseconds);
                Kill();
            }
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await _stderrDrained.ConfigureAwait(false);
    }

    /// <summary>Kills the tree now (stall, or a stop that was not honoured).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited in between.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Keeps stderr's last lines, except those <paramref name="consumeLine"/> takes (lines the caller asked ffmpeg to print).</summary>
    private static async Task DrainStderrAsync(StreamReader stderr, StderrTail tail, Func<string, bool>? consumeLine)
    {
        try
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (consumeLine?.Invoke(line) != true)
                {
                    tail.Add(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe closed with the process.
        }
    }

    private static void CloseQuietly(Stream stream)
    {
        try
        {
            stream.Close();
        }
        catch (IOException)
        {
        }
    }
}
