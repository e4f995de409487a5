using System.IO.Pipelines;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using V2AStream.Core.Media;
using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>
/// Generate: the client streams a StreamConfig (first, exactly once) and then container bytes; the bytes
/// go through a bounded pipe into ffmpeg, so when the pipeline is full this handler stops reading the
/// request and HTTP/2 flow control holds the client back.
/// </summary>
internal sealed class GenerateHandler(StreamConfigTranslator translator, StreamGate gate, StreamRunner runner, ILogger<GenerateHandler> logger)
{
    /// <summary>Media bytes buffered between the request and ffmpeg before the request stops being read.</summary>
    private const int PipeBufferBytes = 1 << 20;

    public async Task HandleAsync(IAsyncEnumerable<GenerateRequest> requests, IServerStreamWriter<GenerateResponse> responses, ServerCallContext context)
    {
        // Reading the request stops when the call ends or the stream has ended without it (a failed stream must not
        // wait for a silent live sender's next message to report its status).
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var messages = requests.GetAsyncEnumerator(reading.Token);
        await using (messages.ConfigureAwait(false))
        {
            if (!await messages.MoveNextAsync().ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "Invalid stream: it ended before its StreamConfig; send a config message first."));
            }

            if (messages.Current.PayloadCase != GenerateRequest.PayloadOneofCase.Config)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Invalid stream: the first message must be a StreamConfig, but {Describe(messages.Current.PayloadCase)} came first."));
            }

            var settings = translator.Translate(messages.Current.Config, liveByDefault: false);
            DaemonLog.StreamStarted(logger, settings.RequestId, "Generate", settings.ModelSet, settings.Pipeline.Mode.ToString());
            await gate.RunAsync(settings.RequestId, context, async cancellationToken =>
            {
                var source = MediaSource.CreatePipe(out var pipe, PipeBufferBytes).WithFormat(settings.InputFormat);
                using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var pump = PumpAsync(messages, pipe, pumpStop.Token);
                try
                {
                    await runner.RunAsync(settings, StreamRunner.EffectiveConfig(settings), source, responses, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (pump.IsFaulted && pump.Exception?.InnerException is RpcException pumpError)
                {
                    // The client broke the protocol (a second config, say): that, not ffmpeg's view of the cut-off input, is the reason.
                    throw pumpError;
                }
                finally
                {
                    await pumpStop.CancelAsync().ConfigureAwait(false);
                    await reading.CancelAsync().ConfigureAwait(false);
                    await pump.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }

                // The stream ended well; a protocol error the client made before that still fails the call. The pump's
                // own cancellation (ffmpeg needed no more bytes) is not an error.
                if (pump.Exception?.InnerException is RpcException lateProtocolError)
                {
                    throw lateProtocolError;
                }
            }).ConfigureAwait(false);
        }
    }

    /// <summary>Moves media bytes from the request into ffmpeg's pipe until the request ends; completes the pipe either way.</summary>
    private static async Task PumpAsync(IAsyncEnumerator<GenerateRequest> messages, PipeWriter pipe, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            while (await messages.MoveNextAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var message = messages.Current;
                switch (message.PayloadCase)
                {
                    case GenerateRequest.PayloadOneofCase.Media:
                        var result = await pipe.WriteAsync(message.Media.Memory, cancellationToken).ConfigureAwait(false);
                        if (result.IsCompleted)
                        {
                            // ffmpeg stopped reading (the stream ended or failed): the rest of the request is not needed.
                            return;
                        }

                        break;
                    case GenerateRequest.PayloadOneofCase.Config:
                        throw new RpcException(new Status(StatusCode.InvalidArgument, "Invalid stream: StreamConfig was sent twice; send it once, as the first message."));
                    case GenerateRequest.PayloadOneofCase.Frame:
                        throw new RpcException(new Status(StatusCode.Unimplemented, "RawFrame input is not supported by this server yet; send container bytes (media) instead, e.g. ffmpeg -f mpegts."));
                    default:
                        throw new RpcException(new Status(StatusCode.InvalidArgument, "Invalid stream: an empty GenerateRequest; set config, media or frame."));
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            await pipe.CompleteAsync(failure is OperationCanceledException ? null : failure).ConfigureAwait(false);
        }
    }

    private static string Describe(GenerateRequest.PayloadOneofCase payload) => payload switch
    {
        GenerateRequest.PayloadOneofCase.Media => "media bytes",
        GenerateRequest.PayloadOneofCase.Frame => "a raw frame",
        _ => "an empty message",
    };
}
