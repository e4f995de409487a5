using System.Diagnostics;
using System.Text;

namespace V2AStream.Testing.MediaServers;

/// <summary>
/// An ffmpeg the test runs beside the relay (an OBS-like publisher, a viewer, an SRT listener): its stderr collected, a
/// stop that sends 'q' (ffmpeg finishes its output) before killing it, and always reaped.
/// </summary>
public sealed class FfmpegRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private FfmpegRun(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_errors)
                {
                    _errors.AppendLine(line);
                }
            }
        };
        process.BeginErrorReadLine();
        Exited = process.WaitForExitAsync().ContinueWith(_ => process.ExitCode, TaskScheduler.Default);
    }

    public Task<int> Exited { get; }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static FfmpegRun Start(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-hide_banner", "-nostats", "-loglevel", "warning" }.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return new FfmpegRun(Process.Start(startInfo)!);
    }

    /// <summary>Waits for ffmpeg to end by itself; its exit code, or a timeout naming what it said.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        try
        {
            return await Exited.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"ffmpeg {string.Join(' ', _process.StartInfo.ArgumentList)} did not end within {timeout.TotalSeconds:F0} s: {Errors}");
        }
    }

    /// <summary>Asks ffmpeg to finish ('q'), then kills it if it has not within a few seconds.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteAsync('q');
                await _process.StandardInput.FlushAsync();
            }
            catch (IOException)
            {
            }

            try
            {
                await Exited.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await Exited;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
