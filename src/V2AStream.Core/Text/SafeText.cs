using System.Text;

namespace V2AStream.Core.Text;

/// <summary>
/// Text that came from outside (a file's header, a client's path, a log message) made safe for one line of a message
/// or a log: every control character written out (\r, \n and \t by name, the others as \xNN, ESC among them), so it can
/// neither break the line nor drive a terminal. Pure; thread-safe.
/// </summary>
public static class SafeText
{
    /// <summary><paramref name="text"/> with its control characters escaped, cut to <paramref name="maxLength"/> characters (then "...").</summary>
    public static string Escape(string text, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var shown = text.Length > maxLength ? text[..maxLength] + "..." : text;
        if (!shown.Any(char.IsControl))
        {
            return shown;
        }

        var escaped = new StringBuilder(shown.Length + 16);
        foreach (var c in shown)
        {
            escaped.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
