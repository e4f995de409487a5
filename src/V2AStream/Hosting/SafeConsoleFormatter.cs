using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using V2AStream.Core.Media;
using V2AStream.Core.Text;

namespace V2AStream.Hosting;

/// <summary>
/// The daemon's log lines (DESIGN.md section 8): one line per event, "time level: category[event] => scopes message",
/// where everything that can carry a client's text (the message, scope values, an exception's lines) has the secrets of
/// its URLs masked (<see cref="UrlRedaction"/>: user info, query values, RTMP stream keys) and its control characters
/// escaped (\r, \n, ESC...), so a source name can neither leak a passphrase nor forge or recolour a log line. An
/// exception follows on lines of its own, each indented, so none of them can pass for an event.
/// </summary>
internal sealed class SafeConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "v2a";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var line = new StringBuilder(128);
        if (options.CurrentValue.TimestampFormat is { } format)
        {
            var now = options.CurrentValue.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            line.Append(now.ToString(format, CultureInfo.InvariantCulture));
        }

        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category).Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        if (options.CurrentValue.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope(static (scope, builder) => builder.Append(" => ").Append(Safe(Describe(scope))), line);
        }

        line.Append(' ').Append(Safe(message));
        textWriter.WriteLine(line.ToString());
        if (logEntry.Exception is { } exception)
        {
            foreach (var exceptionLine in exception.ToString().Split('\n'))
            {
                textWriter.WriteLine("      " + Safe(exceptionLine));
            }
        }
    }

    /// <summary><paramref name="text"/> with URL secrets masked and every control character written as \xNN (\r, \n and \t by name).</summary>
    public static string Safe(string? text) => string.IsNullOrEmpty(text) ? string.Empty : SafeText.Escape(UrlRedaction.Redact(text));

    private static string Describe(object? scope) => scope switch
    {
        null => string.Empty,
        IEnumerable<KeyValuePair<string, object>> pairs => string.Join(", ", pairs.Select(p => $"{p.Key}:{p.Value}")),
        _ => scope.ToString() ?? string.Empty,
    };

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
