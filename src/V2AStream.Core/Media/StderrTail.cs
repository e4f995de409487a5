namespace V2AStream.Core.Media;

/// <summary>The last lines a child wrote on stderr, bounded in lines and line length. Thread-safe.</summary>
internal sealed class StderrTail
{
    private const int MaxLineLength = 512;
    private readonly Queue<string> _lines = new();
    private readonly int _maxLines;
    private readonly Lock _lock = new();

    public StderrTail(int maxLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        _maxLines = maxLines;
    }

    public void Add(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (line.Length > MaxLineLength)
        {
            line = line[..MaxLineLength];
        }

        lock (_lock)
        {
            if (_lines.Count == _maxLines)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public override string ToString() => string.Join('\n', Lines);
}
