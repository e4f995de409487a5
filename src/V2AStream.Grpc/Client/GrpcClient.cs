using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace V2AStream.Grpc.Client;

/// <summary>
/// A gRPC client over <see cref="HttpClient"/> with HTTP/2 prior knowledge (http://) or TLS
/// (https://). Methods are named by path, "/package.Service/Method". A call that ends with a
/// non-OK status throws <see cref="RpcException"/>; a passed <see cref="CallOptions.Timeout"/>
/// is DEADLINE_EXCEEDED; cancelling the caller's token throws <see cref="OperationCanceledException"/>
/// and resets the stream, which cancels the server's handler. Thread-safe; calls may run concurrently.
/// </summary>
public sealed class GrpcClient : IDisposable
{
    private static readonly CallOptions NoOptions = new();

    private readonly HttpClient _httpClient;
    private readonly Uri _address;
    private readonly int? _maxReceiveMessageSize;

    public GrpcClient(Uri address, GrpcClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new GrpcClientOptions();
        _address = address;
        _maxReceiveMessageSize = options.MaxReceiveMessageSize;
        var handler = options.Handler ?? new SocketsHttpHandler
        {
            // More than 100 concurrent calls need more than one connection.
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        _httpClient = new HttpClient(handler, disposeHandler: options.Handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Address => _address;

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var call = Create<TRequest, TResponse>(method, options, cancellationToken);
        await call.StartAsync(Single(request)).ConfigureAwait(false);
        return await ReadSingleAsync(call).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string method, TRequest request, CallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var call = Create<TRequest, TResponse>(method, options, cancellationToken);
        await call.StartAsync(Single(request)).ConfigureAwait(false);
        while (await call.ReadNextAsync().ConfigureAwait(false) is { } response)
        {
            yield return response;
        }
    }

    public async Task<TResponse> ClientStreamingAsync<TRequest, TResponse>(string method, IAsyncEnumerable<TRequest> requests, CallOptions? options = null, CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(requests);
        await using var call = Create<TRequest, TResponse>(method, options, cancellationToken);
        await call.StartAsync(requests).ConfigureAwait(false);
        return await ReadSingleAsync(call).ConfigureAwait(false);
    }

    /// <summary>
    /// A duplex call: <paramref name="requests"/> is pulled as the transport can send (feed it from a
    /// <see cref="System.Threading.Channels.Channel{T}"/> to interleave with the responses).
    /// </summary>
    public async IAsyncEnumerable<TResponse> DuplexStreamingAsync<TRequest, TResponse>(string method, IAsyncEnumerable<TRequest> requests, CallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(requests);
        await using var call = Create<TRequest, TResponse>(method, options, cancellationToken);
        await call.StartAsync(requests).ConfigureAwait(false);
        while (await call.ReadNextAsync().ConfigureAwait(false) is { } response)
        {
            yield return response;
        }
    }

    public void Dispose() => _httpClient.Dispose();

    private GrpcClientCall<TRequest, TResponse> Create<TRequest, TResponse>(string method, CallOptions? options, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (method[0] != '/' || method.IndexOf('/', 1) < 0)
        {
            throw new ArgumentException($"Method '{method}' is not a gRPC path: write it as /package.Service/Method.", nameof(method));
        }

        return new GrpcClientCall<TRequest, TResponse>(_httpClient, new Uri(_address, method), options ?? NoOptions, _maxReceiveMessageSize, cancellationToken);
    }

    private static async Task<TResponse> ReadSingleAsync<TRequest, TResponse>(GrpcClientCall<TRequest, TResponse> call)
        where TRequest : IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        var response = await call.ReadNextAsync().ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "The call ended with OK but without a response message.");
        if (await call.ReadNextAsync().ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, "The server sent more than one response message to a call that returns one.");
        }

        return response;
    }

    private static async IAsyncEnumerable<T> Single<T>(T item)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return item;
    }
}
