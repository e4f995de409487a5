using V2AStream.Cli;

using V2AStream.Testing.MediaServers;

namespace V2AStream.Tests.Relay;

/// <summary><c>v2a relay ...</c> run in this process beside the test, its stderr kept; disposing cancels it (Ctrl-C) and waits.</summary>
internal sealed class RelayRun : IAsyncDisposable
{
    private readonly StringWriter _errors = new();
    private readonly TextWriter _synchronizedErrors;
    private readonly CancellationTokenSource _stop = new();

    private RelayRun(string[] arguments)
    {
        _synchronizedErrors = TextWriter.Synchronized(_errors);
        Completion = Task.Run(() => CliApp.InvokeAsync(["relay", .. arguments], TextWriter.Null, _synchronizedErrors, _stop.Token));
    }

    /// <summary>The exit code once the relay has ended.</summary>
    public Task<int> Completion { get; }

    public string Errors
    {
        get
        {
            lock (_synchronizedErrors)
            {
                return _errors.ToString();
            }
        }
    }

    public static RelayRun Start(params string[] arguments) => new(arguments);

    /// <summary>Waits for the relay to end by itself; its exit code, or a timeout that shows what it printed.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        try
        {
            return await Completion.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The relay did not end within {timeout.TotalSeconds:F0} s: {Errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Completion.WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }
}
