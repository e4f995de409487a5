namespace V2AStream.Core.Stitching;

/// <summary>
/// Decides which blocks to generate as scene cuts become known (DESIGN.md section 3): each scene is
/// covered from its own start by blocks of 2.5·k s, and a block is planned once no cut can appear
/// before its start. Feed it cuts with <see cref="AddCut"/> and the detector's progress with
/// <see cref="PlanUntil"/>; the blocks it returns, pushed to an <see cref="AudioStitcher"/> in order,
/// cover the media without a gap. Not thread-safe.
/// </summary>
public sealed class BlockPlanner
{
    private readonly Queue<long> _cuts = new();
    private long _lastCut;
    private long _plannedUntil;
    private long _nextStart;
    private int _scene;
    private bool _completed;

    /// <param name="blockMultiple">k: blocks of 2.5·k s (1 to <see cref="BlockTiming.MaxMultiple"/>).</param>
    public BlockPlanner(int blockMultiple = 1)
    {
        _ = BlockTiming.NominalSamples(blockMultiple);
        Multiple = blockMultiple;
    }

    public int Multiple { get; }

    /// <summary>
    /// A scene starts at <paramref name="startSample"/>. It must lie after the previous cut and at or after
    /// the position last passed to <see cref="PlanUntil"/> (blocks before that are already planned).
    /// </summary>
    public void AddCut(long startSample)
    {
        ThrowIfCompleted();
        if (startSample <= _lastCut)
        {
            throw new ArgumentOutOfRangeException(nameof(startSample), startSample, $"Cuts must come in order after sample 0; the previous one is at {_lastCut}.");
        }

        if (startSample < _plannedUntil)
        {
            throw new ArgumentOutOfRangeException(nameof(startSample), startSample, $"A cut at {startSample} comes after blocks up to {_plannedUntil} were planned; report cuts before advancing past them.");
        }

        _cuts.Enqueue(startSample);
        _lastCut = startSample;

        // A cut decided after the block around it was planned: that block now ends at the cut, and the
        // next block (the new scene's first) starts there instead of a full block later.
        _nextStart = Math.Min(_nextStart, startSample);
    }

    /// <summary>No cut will be reported before <paramref name="sample"/>: returns the new blocks that start before it.</summary>
    public IReadOnlyList<PlannedBlock> PlanUntil(long sample)
    {
        ThrowIfCompleted();
        return Plan(sample, endOfMedia: null);
    }

    /// <summary>The media ends at <paramref name="totalSamples"/>: returns the remaining blocks; cuts at or past the end are dropped.</summary>
    public IReadOnlyList<PlannedBlock> Complete(long totalSamples)
    {
        ThrowIfCompleted();
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSamples, _plannedUntil);
        var blocks = Plan(totalSamples, totalSamples);
        _completed = true;
        return blocks;
    }

    private List<PlannedBlock> Plan(long until, long? endOfMedia)
    {
        var blocks = new List<PlannedBlock>();
        var nominal = BlockTiming.NominalSamples(Multiple);
        while (_nextStart < until)
        {
            if (_cuts.TryPeek(out var cut) && cut <= _nextStart)
            {
                _cuts.Dequeue();
                if (endOfMedia is { } end && cut >= end)
                {
                    continue;
                }

                _scene++;
                _nextStart = cut;
                continue;
            }

            blocks.Add(new PlannedBlock(_scene, _nextStart, Multiple));
            var next = _nextStart + nominal;
            _nextStart = _cuts.TryPeek(out var upcoming) && upcoming < next ? upcoming : next;
        }

        _plannedUntil = Math.Max(_plannedUntil, until);
        return blocks;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The planner is complete.");
        }
    }
}
