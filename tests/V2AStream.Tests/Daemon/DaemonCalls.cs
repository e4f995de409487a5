using System.Diagnostics;
using Google.Protobuf;
using V2AStream.Grpc;
using V2AStream.Grpc.Client;
using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>Raw calls to the daemon with the project's gRPC client, collecting every response.</summary>
internal static class DaemonCalls
{
    public static async Task<List<GenerateResponse>> GenerateAsync(Uri server, IAsyncEnumerable<GenerateRequest> requests, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var client = new GrpcClient(server);
        var responses = new List<GenerateResponse>();
        await foreach (var response in client.DuplexStreamingAsync<GenerateRequest, GenerateResponse>("/v2astream.v1.V2AStream/Generate", requests, options, cancellationToken))
        {
            responses.Add(response);
        }

        return responses;
    }

    public static async Task<List<TResponse>> ServerStreamingAsync<TResponse>(Uri server, string method, SourceRequest request, CancellationToken cancellationToken = default)
        where TResponse : class, IMessage<TResponse>, new()
    {
        using var client = new GrpcClient(server);
        var responses = new List<TResponse>();
        await foreach (var response in client.ServerStreamingAsync<SourceRequest, TResponse>($"/v2astream.v1.V2AStream/{method}", request, null, cancellationToken))
        {
            responses.Add(response);
        }

        return responses;
    }

    /// <summary>Generate, ending however it ends: the outcome instead of an exception.</summary>
    public static Task<CallOutcome> GenerateOutcomeAsync(Uri server, IAsyncEnumerable<GenerateRequest> requests, CancellationToken cancellationToken = default) =>
        OutcomeAsync(server, client => client.DuplexStreamingAsync<GenerateRequest, GenerateResponse>("/v2astream.v1.V2AStream/Generate", requests, null, cancellationToken));

    /// <summary>GenerateFromSource, ending however it ends: the outcome instead of an exception.</summary>
    public static Task<CallOutcome> GenerateFromSourceOutcomeAsync(Uri server, SourceRequest request, CancellationToken cancellationToken = default) =>
        OutcomeAsync(server, client => client.ServerStreamingAsync<SourceRequest, GenerateResponse>("/v2astream.v1.V2AStream/GenerateFromSource", request, null, cancellationToken));

    /// <summary>GetInfo: the daemon answers (it is up).</summary>
    public static async Task<ServerInfo> InfoAsync(Uri server)
    {
        using var client = new GrpcClient(server);
        return await client.UnaryAsync<GetInfoRequest, ServerInfo>("/v2astream.v1.V2AStream/GetInfo", new GetInfoRequest());
    }

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

    private static async Task<CallOutcome> OutcomeAsync(Uri server, Func<GrpcClient, IAsyncEnumerable<GenerateResponse>> call)
    {
        using var client = new GrpcClient(server);
        var responses = new List<GenerateResponse>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await foreach (var response in call(client))
            {
                responses.Add(response);
            }

            return new CallOutcome("OK", string.Empty, responses, Stopwatch.GetElapsedTime(started));
        }
        catch (RpcException ex)
        {
            return new CallOutcome(ex.StatusCode.ToString(), ex.Detail, responses, Stopwatch.GetElapsedTime(started));
        }
    }
}
