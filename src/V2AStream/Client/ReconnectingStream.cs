using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Google.Protobuf;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// A stream that survives its daemon: when a call breaks in a way <see cref="ReconnectPolicy.IsRetryable"/> allows, it
/// waits as the policy says (giving up when the outage has lasted too long) and opens a new call through its
/// <see cref="IResumableSource"/>. Audio stays continuous in length on the stream's clock
/// (the first call's): a new call's audio that starts past where the audio stood is preceded by silence for the lost span
/// (counted in <see cref="Interruptions"/>), and audio the stream already has is cut away. Without a policy the first
/// broken call ends the stream with its error. Audio that is cut or filled must be PCM_S16LE or PCM_F32LE. Not thread-safe.
/// </summary>
internal sealed class ReconnectingStream(IResumableSource source, ReconnectPolicy? policy)
{
    public List<StreamInterruption> Interruptions { get; } = [];

    /// <summary>What v2a stream and soak reconnect with: a first try after 0.1 s, then twice as late up to 2 s, for 30 s of outage.</summary>
    public static ReconnectPolicy DefaultPolicy(TimeProvider time) => new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), time);

    /// <summary>New calls opened after broken ones.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Audio written so far, in seconds on the stream's clock.</summary>
    public double ReachedSeconds { get; private set; }

    public async IAsyncEnumerable<ResumableItem> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long reached = 0;
        uint sampleRate = 0;
        StreamInterruption? pending = null;
        while (true)
        {
            var call = await source.OpenAsync(Reconnects == 0 ? null : ReachedSeconds, cancellationToken).ConfigureAwait(false);
            ExceptionDispatchInfo? failure = null;
            var responses = call.Responses.GetAsyncEnumerator(cancellationToken);
            await using (responses.ConfigureAwait(false))
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await responses.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (policy is not null && ReconnectPolicy.IsRetryable(ex, cancellationToken))
                    {
                        failure = ExceptionDispatchInfo.Capture(ex);
                        break;
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    var response = responses.Current;
                    if (response.EventCase == GenerateResponse.EventOneofCase.Scene)
                    {
                        var scene = response.Scene.Clone();
                        var offsetUs = (long)Math.Round(call.OffsetSeconds * 1e6);
                        scene.StartUs += offsetUs;
                        scene.EndUs = scene.EndUs == 0 ? 0 : scene.EndUs + offsetUs;
                        yield return new ResumableItem(new GenerateResponse { Scene = scene });
                        continue;
                    }

                    if (response.EventCase != GenerateResponse.EventOneofCase.Audio)
                    {
                        yield return new ResumableItem(response);
                        continue;
                    }

                    var chunk = response.Audio;
                    sampleRate = chunk.SampleRate;
                    var start = Samples(call.OffsetSeconds, sampleRate) + Samples(chunk.StartUs / 1e6, sampleRate);
                    var frames = Samples(chunk.DurationUs / 1e6, sampleRate);
                    if (pending is not null && start > reached)
                    {
                        pending.LostSeconds = (double)(start - reached) / sampleRate;
                        yield return new ResumableItem(new GenerateResponse { Audio = Silence(chunk, reached, start - reached) }, pending);
                        reached = start;
                    }

                    if (start + frames <= reached)
                    {
                        continue;
                    }

                    var skip = Math.Max(0, reached - start);
                    if (pending is not null)
                    {
                        pending.Resumed = true;
                        pending = null;
                    }

                    policy?.Connected();
                    if (skip == 0 && start == Samples(chunk.StartUs / 1e6, sampleRate))
                    {
                        // On the stream's clock already (the first call, or a call that starts at media time 0).
                        reached = start + frames;
                        ReachedSeconds = (double)reached / sampleRate;
                        yield return new ResumableItem(response);
                        continue;
                    }

                    var shifted = chunk.Clone();
                    shifted.StartUs = Microseconds(start + skip, sampleRate);
                    shifted.DurationUs = Microseconds(frames - skip, sampleRate);
                    shifted.Data = skip == 0 ? chunk.Data : ByteString.CopyFrom(chunk.Data.Span[(int)Math.Min(skip * FrameBytes(chunk), chunk.Data.Length)..]);
                    reached = start + frames;
                    ReachedSeconds = (double)reached / sampleRate;
                    yield return new ResumableItem(new GenerateResponse { Audio = shifted });
                }
            }

            if (pending is null)
            {
                pending = new StreamInterruption(Describe(failure!.SourceException), ReachedSeconds);
                Interruptions.Add(pending);
            }

            if (!await policy!.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                failure!.Throw();
            }

            Reconnects++;
        }
    }

    private static string Describe(Exception error) => error is Grpc.Core.RpcException rpc ? rpc.StatusCode.ToString() : error.GetType().Name;

    private static int FrameBytes(AudioChunk chunk) => (int)chunk.Channels * chunk.Encoding switch
    {
        AudioEncoding.PcmS16Le => 2,
        AudioEncoding.PcmF32Le => 4,
        var other => throw new InvalidDataException($"A reconnecting stream needs raw PCM audio, not {other}."),
    };

    private static long Samples(double seconds, uint sampleRate) => (long)Math.Round(seconds * sampleRate);

    private static long Microseconds(long samples, uint sampleRate) => (long)Math.Round(samples * 1e6 / sampleRate);

    private static AudioChunk Silence(AudioChunk like, long start, long frames) => new()
    {
        StartUs = Microseconds(start, like.SampleRate),
        DurationUs = Microseconds(frames, like.SampleRate),
        SampleRate = like.SampleRate,
        Channels = like.Channels,
        Encoding = like.Encoding,
        SceneIndex = like.SceneIndex,
        Data = ByteString.CopyFrom(new byte[frames * FrameBytes(like)]),
    };
}
