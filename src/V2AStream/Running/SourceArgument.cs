using V2AStream.Cli;
using V2AStream.Core.Media;

namespace V2AStream.Running;

/// <summary>Turns a command-line INPUT (a path, a URL, or "-" for stdin) into a <see cref="MediaSource"/>.</summary>
internal static class SourceArgument
{
    /// <summary>Whether <paramref name="input"/> is a URL rather than a path (a scheme of two letters or more: "C:" is not one).</summary>
    public static bool IsUrl(string input) => Uri.TryCreate(input, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Scheme.Length > 1;

    /// <summary>The source; a file that does not exist, a folder or an unsupported URL is a <see cref="CliUsageException"/>.</summary>
    public static MediaSource Parse(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input == "-")
        {
            return MediaSource.FromStdin();
        }

        if (IsUrl(input))
        {
            try
            {
                return MediaSource.FromUrl(input);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message.Split(" (Parameter", 2)[0]);
            }
        }

        InputFile.Require(input);
        return MediaSource.FromFile(input);
    }
}
