using System.Diagnostics;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using V2AStream.Client;
using V2AStream.Protos.V1;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Tests.Daemon;

/// <summary>Calls to the daemon with Grpc.Net.Client (the stubs generated from the proto), collecting or yielding every response.</summary>
internal static class DaemonCalls
{
    public static async Task<List<GenerateResponse>> GenerateAsync(Uri server, IAsyncEnumerable<GenerateRequest> requests, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var responses = new List<GenerateResponse>();
        await foreach (var response in GenerateStreamAsync(server, requests, options, cancellationToken))
        {
            responses.Add(response);
        }

        return responses;
    }

    /// <summary>
    /// Generate, each response as it arrives. <paramref name="requests"/> is sent while responses are read, as fast as the
    /// transport takes it, and the request stream is ended after its last message; once the call has ended, what is left
    /// of it is not sent. Cancelling <paramref name="cancellationToken"/> resets the call (OperationCanceledException).
    /// </summary>
    public static async IAsyncEnumerable<GenerateResponse> GenerateStreamAsync(Uri server, IAsyncEnumerable<GenerateRequest> requests, CallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var channel = DaemonChannel.Create(server);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options?.CancellationToken ?? CancellationToken.None);
        using var call = new V2AStreamApi.V2AStreamClient(channel).Generate((options ?? default).WithCancellationToken(stop.Token));
        var sending = SendAllAsync(call.RequestStream, requests, stop.Token);
        try
        {
            await foreach (var response in CallResponses.ReadAsync(call.ResponseStream, stop.Token))
            {
                yield return response;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await sending;
        }
    }

    public static async Task<List<TResponse>> ServerStreamingAsync<TResponse>(Uri server, string method, SourceRequest request, CancellationToken cancellationToken = default)
        where TResponse : class, IMessage<TResponse>, new()
    {
        using var channel = DaemonChannel.Create(server);
        var client = new V2AStreamApi.V2AStreamClient(channel);
        using var call = method switch
        {
            "GenerateFromSource" => (AsyncServerStreamingCall<TResponse>)(object)client.GenerateFromSource(request, cancellationToken: cancellationToken),
            "DetectScenes" => (AsyncServerStreamingCall<TResponse>)(object)client.DetectScenes(request, cancellationToken: cancellationToken),
            _ => throw new ArgumentException($"'{method}' is not a server-streaming method of V2AStream.", nameof(method)),
        };
        var responses = new List<TResponse>();
        await foreach (var response in CallResponses.ReadAsync(call.ResponseStream, cancellationToken))
        {
            responses.Add(response);
        }

        return responses;
    }

    public static async Task<ServerInfo> GetInfoAsync(Uri server, CallOptions? options = null)
    {
        using var channel = DaemonChannel.Create(server);
        return await new V2AStreamApi.V2AStreamClient(channel).GetInfoAsync(new GetInfoRequest(), options ?? default);
    }

    /// <summary>Generate, ending however it ends: the outcome instead of an exception.</summary>
    public static Task<CallOutcome> GenerateOutcomeAsync(Uri server, IAsyncEnumerable<GenerateRequest> requests, CancellationToken cancellationToken = default) =>
        OutcomeAsync(GenerateStreamAsync(server, requests, null, cancellationToken));

    /// <summary>GenerateFromSource, ending however it ends: the outcome instead of an exception.</summary>
    public static Task<CallOutcome> GenerateFromSourceOutcomeAsync(Uri server, SourceRequest request, CancellationToken cancellationToken = default) =>
        OutcomeAsync(GenerateFromSourceStreamAsync(server, request, cancellationToken));

    /// <summary>A config, then the file's bytes in 64 KiB media messages.</summary>
    public static async IAsyncEnumerable<GenerateRequest> ConfigThenFile(StreamConfig config, string path, Func<int, GenerateRequest?>? extra = null)
    {
        yield return new GenerateRequest { Config = config };
        await using var file = File.OpenRead(path);
        var buffer = new byte[64 * 1024];
        int read;
        var index = 0;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            yield return new GenerateRequest { Media = ByteString.CopyFrom(buffer, 0, read) };
            if (extra?.Invoke(index++) is { } injected)
            {
                yield return injected;
            }
        }
    }

    public static async IAsyncEnumerable<GenerateRequest> Messages(params GenerateRequest[] messages)
    {
        foreach (var message in messages)
        {
            await Task.Yield();
            yield return message;
        }
    }

    public static StreamConfig Config(AudioEncoding encoding = AudioEncoding.PcmS16Le, uint sampleRate = 16000) =>
        new() { Output = new OutputConfig { Encoding = encoding, SampleRate = sampleRate, Channels = 1 } };

    private static async Task SendAllAsync(IClientStreamWriter<GenerateRequest> writer, IAsyncEnumerable<GenerateRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var request in requests.WithCancellation(cancellationToken))
            {
                await writer.WriteAsync(request, cancellationToken);
            }

            await writer.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or OperationCanceledException or IOException or HttpRequestException)
        {
            // The call ended or was reset (its status is the response stream's), or was cancelled: the rest is not needed.
        }
    }

    private static async IAsyncEnumerable<GenerateResponse> GenerateFromSourceStreamAsync(Uri server, SourceRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var channel = DaemonChannel.Create(server);
        using var call = new V2AStreamApi.V2AStreamClient(channel).GenerateFromSource(request, cancellationToken: cancellationToken);
        await foreach (var response in CallResponses.ReadAsync(call.ResponseStream, cancellationToken))
        {
            yield return response;
        }
    }

    private static async Task<CallOutcome> OutcomeAsync(IAsyncEnumerable<GenerateResponse> call)
    {
        var responses = new List<GenerateResponse>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var response in call)
            {
                responses.Add(response);
            }

            return new CallOutcome("OK", string.Empty, responses, Stopwatch.GetElapsedTime(started));
        }
        catch (RpcException ex)
        {
            return new CallOutcome(ex.StatusCode.ToString(), ex.Status.Detail, responses, Stopwatch.GetElapsedTime(started));
        }
    }
}
