using System.Runtime.InteropServices;

namespace V2AStream.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM for the running command: the first one cancels <see cref="Token"/>, so the command stops
/// its work and leaves its outputs the way README.md says (a finished file of what was made, or none); a second one
/// ends the process at once, as ffmpeg does. Registered with <see cref="PosixSignalRegistration"/>, which is what
/// System.CommandLine itself uses; its own handler is turned off (InvocationConfiguration.ProcessTerminationTimeout =
/// null) because it ends the process a fixed time after the signal, whether or not the command has finished writing.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal's number, as a shell reports it); 0 before either.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        var exitCode = context.Signal == PosixSignal.SIGINT ? ExitCodes.Interrupted : ExitCodes.Terminated;
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0)
        {
            // The second signal: the default action ends the process now.
            return;
        }

        context.Cancel = true;
        _cancellation.Cancel();
    }
}
