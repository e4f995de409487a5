namespace V2AStream.Cli;

/// <summary>
/// The command line asks for something that cannot be done (a value out of range, an output path in a missing folder),
/// found before any work started. The message is one line saying what to change; the program exits with
/// <see cref="ExitCodes.Usage"/>.
/// </summary>
internal sealed class CliUsageException(string message) : Exception(message);
