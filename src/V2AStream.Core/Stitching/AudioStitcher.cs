namespace V2AStream.Core.Stitching;

/// <summary>
/// Joins generated blocks into one gapless mono stream (DESIGN.md section 3). Blocks are pushed in media
/// order, each with its scene index and its start in samples; audio is read out as soon as no later push
/// can change it. Every sample position is an integer, so the output for a media duration of
/// <c>total</c> samples (<see cref="Complete"/>) is exactly <c>total</c> samples long for any block or
/// read layout.
/// <para>
/// A block's nominal range runs from its start to the next block's start (or the end of media). Past
/// that it usually carries extra audio (2.56·k s generated for 2.5·k s), which fades out under the next
/// block's fade-in with equal-power gains: 60 ms between blocks of one scene, 120 ms at a scene cut by
/// default. A cut inside a block trims the block at the cut. A crossfade is shortened where the outgoing
/// block has less audio past the boundary, or the incoming block's range is shorter. A block that continues the one
/// before it (the generator went on from that block's state, so their overlap is the same sound) is crossfaded with
/// constant gain instead, which adds correlated audio without the equal-power bump.
/// </para>
/// Not thread-safe: one pipeline stage owns it.
/// </summary>
public sealed class AudioStitcher
{
    private readonly int _blockCrossfade;
    private readonly int _cutCrossfade;
    private readonly List<Segment> _segments = [];
    private float[] _ready = new float[4096];
    private int _readyOffset;
    private int _readyCount;
    private int _current;
    private long _noBoundaryBefore;
    private long? _total;

    public AudioStitcher(StitcherOptions? options = null)
    {
        var effective = options ?? new StitcherOptions();
        effective.Validate();
        SampleRate = effective.SampleRate;
        _blockCrossfade = effective.BlockCrossfadeSamples;
        _cutCrossfade = effective.CutCrossfadeSamples;
    }

    public int SampleRate { get; }

    /// <summary>Output samples that are final: read plus waiting to be read.</summary>
    public long FinalizedSamples { get; private set; }

    /// <summary>Samples already handed out by <see cref="Read"/>.</summary>
    public long ReadSamples => FinalizedSamples - _readyCount;

    /// <summary>Final samples waiting to be read.</summary>
    public int AvailableSamples => _readyCount;

    /// <summary>True once <see cref="Complete"/> was called and every sample was read.</summary>
    public bool IsDrained => _total is not null && _readyCount == 0 && FinalizedSamples == _total;

    /// <summary>
    /// Adds a block. <paramref name="startSample"/> must be 0 for the first block, later than the previous
    /// block's start, no later than the end of the previous block's audio (no gap), and not before a
    /// position promised by <see cref="AdvanceTo"/>. Scene indices never decrease; a new index marks a cut.
    /// <paramref name="continuesPrevious"/>: the block goes on from the previous one of its scene (crossfaded linearly).
    /// The samples are copied.
    /// </summary>
    public void Push(int sceneIndex, long startSample, ReadOnlySpan<float> samples, bool continuesPrevious = false)
    {
        if (_total is not null)
        {
            throw new InvalidOperationException("The stitcher is complete; no more blocks can be pushed.");
        }

        if (samples.IsEmpty)
        {
            throw new ArgumentException("A block must hold at least one sample.", nameof(samples));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sceneIndex);
        if (_segments.Count == 0)
        {
            if (startSample != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(startSample), startSample, "The first block must start at sample 0.");
            }
        }
        else
        {
            var last = _segments[^1];
            if (startSample <= last.Start)
            {
                throw new ArgumentOutOfRangeException(nameof(startSample), startSample, $"Blocks must be pushed in order: this one starts at {startSample}, the previous at {last.Start}.");
            }

            if (startSample > last.Start + last.Samples.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(startSample), startSample, $"Gap: the previous block's audio ends at sample {last.Start + last.Samples.Length}, this one starts at {startSample}.");
            }

            if (sceneIndex < last.Scene)
            {
                throw new ArgumentOutOfRangeException(nameof(sceneIndex), sceneIndex, $"Scene indices must not decrease (previous {last.Scene}).");
            }

            if (continuesPrevious && sceneIndex != last.Scene)
            {
                throw new ArgumentException($"A block can continue only a block of its own scene (this one is in scene {sceneIndex}, the previous in {last.Scene}).", nameof(continuesPrevious));
            }

            if (startSample < _noBoundaryBefore)
            {
                throw new ArgumentOutOfRangeException(nameof(startSample), startSample, $"A boundary at {startSample} contradicts AdvanceTo({_noBoundaryBefore}).");
            }

            last.End = startSample;
        }

        if (continuesPrevious && _segments.Count == 0)
        {
            throw new ArgumentException("The first block continues nothing.", nameof(continuesPrevious));
        }

        _segments.Add(new Segment(sceneIndex, startSample, samples.ToArray(), continuesPrevious));
        Settle();
    }

    /// <summary>
    /// Promises that the block pushed last reaches at least <paramref name="sample"/>: no cut or block
    /// boundary lies before it. Audio up to there becomes readable without waiting for the next block
    /// (the live pipeline's decision lookahead).
    /// </summary>
    public void AdvanceTo(long sample)
    {
        if (_total is not null || sample <= _noBoundaryBefore)
        {
            return;
        }

        if (_segments.Count > 0)
        {
            var last = _segments[^1];
            sample = Math.Min(sample, last.Start + last.Samples.Length);
        }

        _noBoundaryBefore = Math.Max(_noBoundaryBefore, sample);
        Settle();
    }

    /// <summary>
    /// Ends the stream at <paramref name="totalSamples"/> (round(duration · rate)); the last block is trimmed
    /// there, and everything becomes readable. The output is then exactly <paramref name="totalSamples"/> long.
    /// </summary>
    public void Complete(long totalSamples)
    {
        if (_total is not null)
        {
            throw new InvalidOperationException("Complete was already called.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(totalSamples);
        if (_segments.Count == 0)
        {
            if (totalSamples != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(totalSamples), totalSamples, "No block covers the media: push blocks before completing.");
            }
        }
        else
        {
            var last = _segments[^1];
            if (totalSamples < last.Start || totalSamples > last.Start + last.Samples.Length || totalSamples < _noBoundaryBefore)
            {
                throw new ArgumentOutOfRangeException(nameof(totalSamples), totalSamples, $"The end of media must lie inside the last block's audio [{last.Start}, {last.Start + last.Samples.Length}] and not before {_noBoundaryBefore}.");
            }

            last.End = totalSamples;
        }

        _total = totalSamples;
        Settle();
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length final samples out; returns how many.</summary>
    public int Read(Span<float> destination)
    {
        var count = Math.Min(destination.Length, _readyCount);
        _ready.AsSpan(_readyOffset, count).CopyTo(destination);
        _readyOffset += count;
        _readyCount -= count;
        if (_readyCount == 0)
        {
            _readyOffset = 0;
        }

        return count;
    }

    /// <summary>All final samples not yet read, as a new array (empty when none).</summary>
    public float[] ReadAvailable()
    {
        var result = new float[_readyCount];
        Read(result);
        return result;
    }

    private void Settle()
    {
        while (_current < _segments.Count)
        {
            var segment = _segments[_current];
            var previous = _current > 0 ? _segments[_current - 1] : null;
            if (segment.FadeIn < 0 && !TryFixFadeIn(segment, previous))
            {
                return;
            }

            var limit = segment.End ?? Math.Min(_noBoundaryBefore, segment.Start + segment.Samples.Length);
            if (limit > FinalizedSamples)
            {
                Emit(segment, previous, limit);
            }

            if (segment.End is null || FinalizedSamples < segment.End || _current + 1 >= _segments.Count)
            {
                return;
            }

            _current++;
            if (_current >= 2)
            {
                // Only the segment before the current one can still lend its tail.
                _segments.RemoveRange(0, _current - 1);
                _current = 1;
            }
        }
    }

    private bool TryFixFadeIn(Segment segment, Segment? previous)
    {
        if (previous is null)
        {
            segment.FadeIn = 0;
            return true;
        }

        var wanted = previous.Scene == segment.Scene ? _blockCrossfade : _cutCrossfade;
        var tail = previous.Start + previous.Samples.Length - segment.Start;
        var cap = (int)Math.Min(Math.Min(wanted, tail), segment.Samples.Length);
        if (segment.End is { } end)
        {
            segment.FadeIn = (int)Math.Min(cap, end - segment.Start);
            return true;
        }

        if (_noBoundaryBefore - segment.Start >= cap)
        {
            segment.FadeIn = cap;
            return true;
        }

        return false;
    }

    private void Emit(Segment segment, Segment? previous, long limit)
    {
        var count = checked((int)(limit - FinalizedSamples));
        var destination = Reserve(count);
        var offset = (int)(FinalizedSamples - segment.Start);
        var fade = segment.FadeIn;
        var i = 0;
        if (offset < fade && previous is not null)
        {
            var previousOffset = (int)(segment.Start - previous.Start);
            var fadeEnd = Math.Min(fade, offset + count);
            for (; offset + i < fadeEnd; i++)
            {
                var n = offset + i;
                var position = (n + 0.5) / fade;
                var (outgoing, incoming) = segment.Continues
                    ? (1 - position, position)
                    // Equal-power: cos² + sin² = 1 at every sample, so uncorrelated blocks keep their loudness.
                    : (Math.Cos(position * (Math.PI / 2)), Math.Sin(position * (Math.PI / 2)));
                destination[i] = (float)((previous.Samples[previousOffset + n] * outgoing) + (segment.Samples[n] * incoming));
            }
        }

        segment.Samples.AsSpan(offset + i, count - i).CopyTo(destination[i..]);
        FinalizedSamples = limit;
    }

    private Span<float> Reserve(int count)
    {
        if (_readyOffset + _readyCount + count > _ready.Length)
        {
            if (_readyCount + count > _ready.Length)
            {
                var grown = new float[Math.Max(_ready.Length * 2, _readyCount + count)];
                _ready.AsSpan(_readyOffset, _readyCount).CopyTo(grown);
                _ready = grown;
            }
            else
            {
                _ready.AsSpan(_readyOffset, _readyCount).CopyTo(_ready);
            }

            _readyOffset = 0;
        }

        var span = _ready.AsSpan(_readyOffset + _readyCount, count);
        _readyCount += count;
        return span;
    }

    private sealed class Segment(int scene, long start, float[] samples, bool continues)
    {
        public int Scene { get; } = scene;

        /// <summary>Goes on from the previous segment: their overlap is correlated.</summary>
        public bool Continues { get; } = continues;

        public long Start { get; } = start;

        public float[] Samples { get; } = samples;

        /// <summary>End of the nominal range: the next block's start or the end of media; null while unknown.</summary>
        public long? End { get; set; }

        /// <summary>Length of the crossfade from the previous segment; -1 until it can no longer change.</summary>
        public int FadeIn { get; set; } = -1;
    }
}
