using V2AStream.Core.Media;

namespace V2AStream.Running;

/// <summary>Turns a command-line INPUT (a path, a URL, or "-" for stdin) into a <see cref="MediaSource"/>.</summary>
internal static class SourceArgument
{
    public static MediaSource Parse(string input)
    {
        if (input == "-")
        {
            return MediaSource.FromStdin();
        }

        return Uri.TryCreate(input, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Scheme.Length > 1
            ? MediaSource.FromUrl(input)
            : MediaSource.FromFile(input);
    }
}
