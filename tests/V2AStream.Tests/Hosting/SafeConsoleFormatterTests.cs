using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using V2AStream.Hosting;

namespace V2AStream.Tests.Hosting;

public sealed class SafeConsoleFormatterTests
{
    [Fact]
    public void Write_MessageWithASecretUrlAndControlCharacters_OneLineMaskedAndEscaped()
    {
        var text = Write("Stream abc failed: Cannot reach rtmp://user:hunter2@live.example/app/sk_live_9\r\n12:00:00.000 info: forged[0] all good\u001b[31m", null);

        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live_9", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', line);
        Assert.Contains("rtmp://***@live.example/app/***\\r\\n12:00:00.000 info: forged[0] all good\\x1b[31m", line, StringComparison.Ordinal);
        Assert.Contains("warn: V2AStream.Daemon.StreamGate[3003]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ScopeAndException_ScopeOnTheLineExceptionIndentedAndEscaped()
    {
        var exception = new InvalidOperationException("bad path /media/x\rINJECTED srt://h:9000?passphrase=p4ss");

        var text = Write("Stream crashed", exception, new Dictionary<string, object> { ["RequestId"] = "req\n1" });

        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("=> RequestId:req\\n1 Stream crashed", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("      ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/media/x\\rINJECTED srt://h:9000?passphrase=***", StringComparison.Ordinal));
        Assert.DoesNotContain("p4ss", text, StringComparison.Ordinal);
    }

    private static string Write(string message, Exception? exception, IReadOnlyDictionary<string, object>? scope = null)
    {
        var formatter = new SafeConsoleFormatter(new StaticOptions(new ConsoleFormatterOptions { IncludeScopes = true, TimestampFormat = "HH:mm:ss " }));
        var scopes = new LoggerExternalScopeProvider();
        using var pushed = scope is null ? null : scopes.Push(scope.ToList());
        using var output = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Warning, "V2AStream.Daemon.StreamGate", new EventId(3003), message, exception, static (state, _) => state);
        formatter.Write(in entry, scopes, output);
        return output.ToString();
    }

    private sealed class StaticOptions(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;

        public ConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
