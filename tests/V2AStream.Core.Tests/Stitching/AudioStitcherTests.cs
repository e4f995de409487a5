using V2AStream.Core.Stitching;

namespace V2AStream.Core.Tests.Stitching;

public sealed class AudioStitcherTests
{
    private const int Generated = BlockTiming.GeneratedSamplesPerMultiple;
    private const int Nominal = BlockTiming.NominalSamplesPerMultiple;

    [Fact]
    public void Complete_TwoBlocksOneScene_OutputHasExactLengthAndBlockCrossfade()
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(Generated, 0.5f));
        stitcher.Push(0, Nominal, Constant(Generated, -0.25f));
        stitcher.Complete(60000);

        var output = stitcher.ReadAvailable();

        Assert.Equal(60000, output.Length);
        Assert.Equal(0.5f, output[Nominal - 1]);
        Assert.Equal(-0.25f, output[Nominal + 960]);
        var middle = Nominal + 480;
        var phase = 480.5 / 960 * Math.PI / 2;
        Assert.Equal((0.5 * Math.Cos(phase)) - (0.25 * Math.Sin(phase)), output[middle], 1e-6);
        Assert.True(stitcher.IsDrained);
    }

    [Fact]
    public void Push_ContinuedBlockOfTheSameSound_CrossfadesWithConstantGain()
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(Generated, 0.5f));
        stitcher.Push(0, Nominal, Constant(Generated - 320, 0.5f), continuesPrevious: true);
        stitcher.Complete(60000);

        var output = stitcher.ReadAvailable();

        // An equal-power crossfade of the same sound would rise to 0.707 in the middle of the 60 ms.
        Assert.Equal(60000, output.Length);
        Assert.All(output, s => Assert.Equal(0.5f, s, 1e-6f));
    }

    [Fact]
    public void Push_ContinuingABlockOfAnotherScene_Throws()
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(Generated, 0.5f));

        Assert.Throws<ArgumentException>(() => stitcher.Push(1, 20000, Constant(Generated, 0.5f), continuesPrevious: true));
    }

    [Fact]
    public void Push_CutInsideBlock_TrimsBlockAndCrossfadesForCutLength()
    {
        var stitcher = new AudioStitcher(new StitcherOptions { CutCrossfadeMilliseconds = 100 });
        stitcher.Push(0, 0, Constant(Generated, 1f));
        stitcher.Push(1, 20000, Constant(Generated, 0f));
        stitcher.Complete(30000);

        var output = stitcher.ReadAvailable();

        Assert.Equal(30000, output.Length);
        Assert.Equal(1f, output[19999]);
        // 100 ms = 1600 samples: the outgoing block is gone after it.
        Assert.Equal(0f, output[20000 + 1600]);
        Assert.Equal(Math.Cos(800.5 / 1600 * Math.PI / 2), output[20000 + 800], 1e-6);
        Assert.True(output[20000 + 1599] > 0 && output[20000 + 1599] < 0.01);
    }

    [Fact]
    public void Push_EqualPowerCrossfade_KeepsPowerOfUncorrelatedNoise()
    {
        var random = new Random(7);
        var a = Noise(random, Generated);
        var b = Noise(random, Generated);
        var stitcher = new AudioStitcher(new StitcherOptions { CutCrossfadeMilliseconds = 60 });
        stitcher.Push(0, 0, a);
        stitcher.Push(1, Nominal, b);
        stitcher.Complete(Nominal + Generated);
        var output = stitcher.ReadAvailable();

        var fadePower = MeanSquare(output.AsSpan(Nominal, 960));
        var plainPower = MeanSquare(output.AsSpan(0, Nominal));

        Assert.InRange(fadePower / plainPower, 0.85, 1.15);
    }

    [Fact]
    public void AdvanceTo_BeforeNextPush_ReleasesAudioUpToThePromise()
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(Generated, 0.1f));
        Assert.Equal(0, stitcher.AvailableSamples);

        stitcher.AdvanceTo(12345);

        Assert.Equal(12345, stitcher.AvailableSamples);
        Assert.Throws<ArgumentOutOfRangeException>(() => stitcher.Push(1, 12000, Constant(10, 0f)));
    }

    [Fact]
    public void AdvanceTo_InsideNextCrossfade_WaitsUntilFadeIsFixed()
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(Generated, 0.1f));
        stitcher.Push(1, 1000, Constant(Generated, 0.2f));
        Assert.Equal(1000, stitcher.AvailableSamples);

        // The cut crossfade is 1920 samples; until the next boundary is known to be past it, it may still shrink.
        stitcher.AdvanceTo(2000);
        Assert.Equal(1000, stitcher.AvailableSamples);
        stitcher.AdvanceTo(3000);
        Assert.Equal(3000, stitcher.AvailableSamples);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(100L)]
    public void Push_OutOfOrderOrGap_Throws(long secondStart)
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(50, 0f));
        var start = secondStart < 0 ? 0 : secondStart;
        Assert.Throws<ArgumentOutOfRangeException>(() => stitcher.Push(0, start, Constant(50, 0f)));
    }

    [Fact]
    public void Complete_PastLastBlocksAudio_Throws()
    {
        var stitcher = new AudioStitcher();
        stitcher.Push(0, 0, Constant(100, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => stitcher.Complete(101));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(4, 3)]
    public void Complete_RandomScenesAndReads_OutputIsExactlyRoundOfDuration(int seed, int multiple)
    {
        var random = new Random(seed);
        var seconds = 5 + (random.NextDouble() * 60);
        var total = BlockTiming.ToSamples(seconds, BlockTiming.SampleRate);
        var cuts = RandomCuts(random, total, meanSceneSamples: 3 * BlockTiming.SampleRate);

        var (output, probes) = Run(random, total, cuts, multiple, keep: true);

        Assert.Equal(total, output!.Count);
        foreach (var (position, expected) in probes)
        {
            Assert.Equal(expected, output[(int)position]);
        }
    }

    [Fact]
    public void Complete_AnHourOfScenes_HasNoDrift()
    {
        var random = new Random(3600);
        var total = BlockTiming.ToSamples(3600.0 + (1.0 / 3), BlockTiming.SampleRate);
        var cuts = RandomCuts(random, total, meanSceneSamples: 9 * BlockTiming.SampleRate);
        Assert.True(cuts.Count > 200);

        var (_, probes) = Run(random, total, cuts, multiple: 1, keep: false);

        // Run checks every probe (the sample just before each cut, and one clear of each crossfade) as it streams by.
        Assert.True(probes.Count > cuts.Count);
    }

    /// <summary>Plans blocks from the cuts as a streaming detector would reveal them, pushes blocks whose every
    /// sample holds a value unique to the block, reads in random chunk sizes, and checks probe positions.</summary>
    private static (List<float>? Output, List<(long Position, float Expected)> Probes) Run(Random random, long total, List<long> cuts, int multiple, bool keep)
    {
        var planner = new BlockPlanner(multiple);
        var stitcher = new AudioStitcher();
        var output = keep ? new List<float>() : null;
        var probes = new List<(long, float)>();
        var pending = new Dictionary<long, float>();
        var buffer = new float[7919];
        long read = 0;
        var blockValue = 0f;
        var nextCut = 0;
        long known = 0;
        var blocks = new List<PlannedBlock>();

        void Drain()
        {
            while (stitcher.AvailableSamples > 0)
            {
                var n = stitcher.Read(buffer.AsSpan(0, random.Next(1, buffer.Length)));
                for (var i = 0; i < n; i++)
                {
                    if (pending.Remove(read + i, out var expected))
                    {
                        Assert.Equal(expected, buffer[i]);
                        probes.Add((read + i, expected));
                    }
                }

                output?.AddRange(buffer.AsSpan(0, n));
                read += n;
            }
        }

        void PushAll(IReadOnlyList<PlannedBlock> planned)
        {
            foreach (var block in planned)
            {
                blocks.Add(block);
                blockValue += 1f / 1024;
                var value = blockValue;
                // The sample just before this block starts belongs to the previous block alone (or its fade tail at a cut).
                var previousEnd = block.StartSample;
                if (blocks.Count > 1 && blocks[^2].StartSample + 1920 < previousEnd - 1)
                {
                    pending[previousEnd - 1] = PreviousValue(value);
                }

                // One sample clear of the longest crossfade, when the block is long enough to be alone there.
                var clear = block.StartSample + 1920;
                var nextStart = NextBoundary(block, cuts, total);
                if (clear < nextStart)
                {
                    pending[clear] = value;
                }

                stitcher.Push(block.SceneIndex, block.StartSample, Constant(block.GeneratedSamples, value));
                Drain();
            }
        }

        while (known < total)
        {
            known = Math.Min(total, known + random.Next(1, 3 * BlockTiming.SampleRate));
            while (nextCut < cuts.Count && cuts[nextCut] < known + 1)
            {
                planner.AddCut(cuts[nextCut++]);
            }

            if (known < total)
            {
                PushAll(planner.PlanUntil(known));
            }
        }

        PushAll(planner.Complete(total));
        stitcher.Complete(total);
        Drain();
        Assert.Empty(pending);
        Assert.Equal(total, read);
        Assert.True(stitcher.IsDrained);
        return (output, probes);
    }

    private static float PreviousValue(float value) => value - (1f / 1024);

    private static long NextBoundary(PlannedBlock block, List<long> cuts, long total)
    {
        var end = block.StartSample + block.NominalSamples;
        foreach (var cut in cuts)
        {
            if (cut > block.StartSample)
            {
                end = Math.Min(end, cut);
                break;
            }
        }

        return Math.Min(end, total);
    }

    private static List<long> RandomCuts(Random random, long total, int meanSceneSamples)
    {
        var cuts = new List<long>();
        var position = 0L;
        while (true)
        {
            // Scenes from a few hundred ms to about twice the mean; positions are integers from the start.
            position += 4000 + random.Next(2 * meanSceneSamples);
            if (position >= total)
            {
                return cuts;
            }

            cuts.Add(position);
        }
    }

    private static float[] Constant(int length, float value)
    {
        var samples = new float[length];
        Array.Fill(samples, value);
        return samples;
    }

    private static float[] Noise(Random random, int length)
    {
        var samples = new float[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = (float)(random.NextDouble() - 0.5);
        }

        return samples;
    }

    private static double MeanSquare(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return sum / samples.Length;
    }
}
