namespace V2AStream.Cli;

/// <summary>What every <c>v2a</c> command exits with.</summary>
internal static class ExitCodes
{
    /// <summary>The work was done.</summary>
    public const int Ok = 0;

    /// <summary>The work failed (a bad input, a daemon that refused, a model that could not run); one line says why.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (an unknown option, a bad value, an output path that cannot be written); nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (SIGINT), as a shell reports it: 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;
}
