using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace V2AStream.Tests.Daemon;

/// <summary>Keeps every log entry with its level, message and the scopes it was written in (their values, and their text as a console prints it).</summary>
internal sealed class ScopeRecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, int EventId, LogLevel Level, string Message, Dictionary<string, object?> Scope, IReadOnlyList<string> ScopeTexts);

    private sealed class Recorder(ScopeRecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            var texts = new List<string>();
            owner._scopes.ForEachScope(
                static (value, collected) =>
                {
                    collected.Texts.Add(value?.ToString() ?? string.Empty);
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            collected.Scope[key] = item;
                        }
                    }
                },
                (Scope: scope, Texts: texts));
            owner.Entries.Enqueue(new LogEntry(category, eventId.Id, logLevel, formatter(state, exception), scope, texts));
        }
    }
}
