namespace V2AStream.Soak;

/// <summary>
/// Runs the soak's streams at once while sampling the daemon's memory every <c>sampleInterval</c>, counts the
/// daemon's children before and after, and builds the <see cref="SoakReport"/>.
/// </summary>
internal sealed class SoakRunner(TimeProvider time)
{
    public async Task<SoakReport> RunAsync(IReadOnlyList<SoakStreamOptions> streams, DaemonProbe probe, TimeSpan sampleInterval, double growthFromSeconds, string mode, CancellationToken cancellationToken)
    {
        var origin = time.GetTimestamp();
        var before = await probe.ReadAsync(cancellationToken).ConfigureAwait(false);
        var memory = new List<MemorySample> { new(0, before.RssBytes, before.HeapBytes) };
        using var samplingStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampling = SampleAsync(probe, sampleInterval, origin, memory, samplingStop.Token);
        SoakStreamResult[] results;
        var copies = new ResumeCopies();
        try
        {
            results = await Task.WhenAll(streams.Select((options, index) => new SoakStream(index, options, time, origin, copies: copies).RunAsync(cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            await copies.DisposeAsync().ConfigureAwait(false);
            await samplingStop.CancelAsync().ConfigureAwait(false);
            await sampling.ConfigureAwait(false);
        }

        var wallSeconds = time.GetElapsedTime(origin).TotalSeconds;
        var after = await probe.ReadAsync(cancellationToken).ConfigureAwait(false);
        memory.Add(new MemorySample(time.GetElapsedTime(origin).TotalSeconds, after.RssBytes, after.HeapBytes));

        // A stream's ffmpeg child is reaped as its call ends; give the last ones a moment before calling them leaked.
        for (var attempt = 0; attempt < 25 && after.Children > before.Children; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
            after = await probe.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = new SoakReport(results, memory, growthFromSeconds, before.Children, after.Children, wallSeconds, mode, streams.Count > 0 && streams[0].Realtime);
        foreach (var (name, figures) in await probe.ReadStageTimesAsync(cancellationToken).ConfigureAwait(false))
        {
            report.StageTimes[name] = figures;
        }

        return report;
    }

    private async Task SampleAsync(DaemonProbe probe, TimeSpan interval, long origin, List<MemorySample> memory, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var sample = await probe.ReadAsync(cancellationToken).ConfigureAwait(false);
                memory.Add(new MemorySample(time.GetElapsedTime(origin).TotalSeconds, sample.RssBytes, sample.HeapBytes));
            }
        }
        catch (OperationCanceledException)
        {
            // The streams are done.
        }
    }
}
