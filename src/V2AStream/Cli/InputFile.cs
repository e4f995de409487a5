namespace V2AStream.Cli;

/// <summary>
/// A file named as a command's input, checked before any work, with the same words in every command: a folder or a
/// path that does not exist is a usage error (exit 2).
/// </summary>
internal static class InputFile
{
    /// <summary>Throws <see cref="CliUsageException"/> unless <paramref name="path"/> exists and is not a folder; <paramref name="option"/> names the option it came from, if any.</summary>
    public static void Require(string path, string? option = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var named = option is null ? $"'{path}'" : $"{option} '{path}'";
        if (Directory.Exists(path))
        {
            throw new CliUsageException($"{named} is a folder: give a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"{named} does not exist.");
        }
    }
}
