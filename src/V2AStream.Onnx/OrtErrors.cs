using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace V2AStream.Onnx;

/// <summary>Turns ORT's exceptions ("[ErrorCode:InvalidArgument] ...", sometimes several lines) into one-line <see cref="OrtException"/>s.</summary>
internal static partial class OrtErrors
{
    /// <summary>ORT's code and its message without the "[ErrorCode:X]" prefix, on one line.</summary>
    public static (OrtErrorCode Code, string Message) Parse(OnnxRuntimeException exception)
    {
        var message = exception.Message;
        var match = CodePrefix().Match(message);
        var code = match.Success && Enum.TryParse<OrtErrorCode>(match.Groups[1].Value, out var parsed) ? parsed : OrtErrorCode.Fail;
        return (code, FirstLine(match.Success ? message[match.Length..] : message));
    }

    public static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? trimmed : trimmed[..newline]).Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"^\s*\[ErrorCode:(\w+)\]\s*")]
    private static partial Regex CodePrefix();
}
