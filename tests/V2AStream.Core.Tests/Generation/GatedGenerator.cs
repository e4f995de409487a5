using V2AStream.Core.Generation;

namespace V2AStream.Core.Tests.Generation;

/// <summary>
/// A generator whose runs wait for the test: each run is recorded (its blocks' seeds), announced on
/// <see cref="Started"/>, and ends when the test releases <see cref="Gate"/> (or fails while <see cref="Fail"/> is set),
/// giving each block its seed as every sample (one sample per multiple unless told otherwise). Honours cancellation
/// while it waits.
/// </summary>
internal sealed class GatedGenerator(int samplesPerMultiple = 1) : IAudioGenerator
{
    private readonly List<long[]> _runs = [];
    private int _running;
    private int _mostRunning;

    public string Kind => "test-gated";

    public int SampleRate => 16000;

    public int? ConditionDimension => null;

    public SemaphoreSlim Gate { get; } = new(0);

    public SemaphoreSlim Started { get; } = new(0);

    public Exception? Fail { get; set; }

    /// <summary>Runs started so far, each as its blocks' seeds in batch order.</summary>
    public IReadOnlyList<long[]> Runs
    {
        get
        {
            lock (_runs)
            {
                return [.. _runs];
            }
        }
    }

    public int MostRunningAtOnce => Volatile.Read(ref _mostRunning);

    /// <summary>Runs that observed their cancellation.</summary>
    public int Cancelled { get; private set; }

    public async Task<float[][]> GenerateAsync(IReadOnlyList<BlockRequest> blocks, CancellationToken cancellationToken)
    {
        lock (_runs)
        {
            _runs.Add([.. blocks.Select(b => b.Seed)]);
            _mostRunning = Math.Max(_mostRunning, ++_running);
        }

        Started.Release();
        try
        {
            await Gate.WaitAsync(cancellationToken);
            if (Fail is { } failure)
            {
                throw failure;
            }

            return [.. blocks.Select(b => Enumerable.Repeat((float)b.Seed, samplesPerMultiple * b.Multiple).ToArray())];
        }
        catch (OperationCanceledException)
        {
            lock (_runs)
            {
                Cancelled++;
            }

            throw;
        }
        finally
        {
            lock (_runs)
            {
                _running--;
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> more runs have started.</summary>
    public async Task WaitForRunsAsync(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Started.WaitAsync(TimeSpan.FromSeconds(30)), "a generator run should have started");
        }
    }

    public void Dispose()
    {
    }
}
