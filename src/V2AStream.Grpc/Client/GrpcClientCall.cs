using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using V2AStream.Grpc.Framing;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Client;

/// <summary>
/// One call as the client sees it: the request goes out, the response headers come in (maybe
/// with the status, trailers-only), then messages, then the trailers with the status. Every
/// transport failure leaves as <see cref="RpcException"/>, the caller's cancellation as
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class GrpcClientCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly MessageParser<TResponse> Parser = new(() => new TResponse());

    private readonly HttpClient _httpClient;
    private readonly Uri _uri;
    private readonly CallOptions _options;
    private readonly int? _maxReceiveMessageSize;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenSource _call;
    private HttpRequestMessage? _request;
    private GrpcRequestContent<TRequest>? _content;
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private GrpcFrameReadOptions _readOptions;
    private bool _finished;

    public GrpcClientCall(HttpClient httpClient, Uri uri, CallOptions options, int? maxReceiveMessageSize, CancellationToken cancellationToken)
    {
        _httpClient = httpClient;
        _uri = uri;
        _options = options;
        _maxReceiveMessageSize = maxReceiveMessageSize;
        _callerToken = cancellationToken;
        if (options.Timeout is { } timeout)
        {
            _deadline = new CancellationTokenSource(timeout <= TimeSpan.Zero ? TimeSpan.Zero : timeout);
            _call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
        }
        else
        {
            _call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }
    }

    public async Task StartAsync(IAsyncEnumerable<TRequest> requests)
    {
        // Kept until the call ends: its content goes on sending after the response headers arrive.
        var request = _request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _content = new GrpcRequestContent<TRequest>(requests, _options.CompressRequests, _call.Token);
        request.Content = _content;
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.AcceptEncodingValue);
        headers.UserAgent.Add(new ProductInfoHeaderValue("v2astream-grpc", "1.0"));
        if (_options.Timeout is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        if (_options.CompressRequests)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.GzipEncoding);
        }

        foreach (var entry in _options.Headers ?? [])
        {
            headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }

        try
        {
            _response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _call.Token).ConfigureAwait(false);
            await ReadResponseHeadersAsync(_response).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The next response message; null once the call ended with OK. Throws <see cref="RpcException"/> for any other status.</summary>
    public async ValueTask<TResponse?> ReadNextAsync()
    {
        if (_finished)
        {
            return null;
        }

        try
        {
            var message = await GrpcFrameReader.ReadMessageAsync(_reader!, Parser, _readOptions, _call.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            _finished = true;
            ThrowIfNotOk(_response!.TrailingHeaders, "trailers");
            return null;
        }
        catch (Exception ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stops the request pump if the call ended before the caller's sequence did.
        await _call.CancelAsync().ConfigureAwait(false);
        if (_reader is not null)
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }

        _response?.Dispose();
        _request?.Dispose();
        _call.Dispose();
        _deadline?.Dispose();
    }

    private async Task ReadResponseHeadersAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var detail = GrpcStatusMessage.Decode(FirstValue(response.Headers, GrpcProtocol.MessageHeader));
            throw new RpcException(
                StatusOfHttp(response.StatusCode),
                $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : string.Empty)}");
        }

        var headerMetadata = new Metadata();
        MetadataHeaders.AddTo(headerMetadata, Flatten(response.Headers));
        if (FirstValue(response.Headers, GrpcProtocol.StatusHeader) is not null)
        {
            // Trailers-only: the status is in the headers and there is no body.
            _finished = true;
            ThrowIfNotOk(response.Headers, "headers");
            return;
        }

        _options.ResponseHeadersReceived?.Invoke(headerMetadata);
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(StatusCode.Internal, $"Response content-type '{contentType}' is not application/grpc: is this a gRPC server?");
        }

        var encoding = FirstValue(response.Headers, GrpcProtocol.EncodingHeader);
        _readOptions = new GrpcFrameReadOptions(_maxReceiveMessageSize, encoding);
        var body = await response.Content.ReadAsStreamAsync(_call.Token).ConfigureAwait(false);
        _reader = PipeReader.Create(body);
    }

    private void ThrowIfNotOk(HttpHeaders headers, string where)
    {
        var trailers = new Metadata();
        MetadataHeaders.AddTo(trailers, Flatten(headers));
        _options.TrailersReceived?.Invoke(trailers);
        var statusText = FirstValue(headers, GrpcProtocol.StatusHeader)
            ?? throw new RpcException(StatusCode.Internal, $"The response ended without grpc-status in its {where}.", trailers);
        if (!int.TryParse(statusText, out var status))
        {
            throw new RpcException(StatusCode.Internal, $"The response has an unreadable grpc-status '{statusText}'.", trailers);
        }

        if (status != (int)StatusCode.OK)
        {
            throw new RpcException((StatusCode)status, GrpcStatusMessage.Decode(FirstValue(headers, GrpcProtocol.MessageHeader)), trailers);
        }
    }

    private Exception? Translate(Exception exception)
    {
        if (_content?.RequestSourceException is { } sourceException)
        {
            // The caller's own sequence failed: that is the error, not the transport's reaction to it.
            return ReferenceEquals(sourceException, exception) ? null : sourceException;
        }

        if (exception is RpcException)
        {
            return null;
        }

        if (_callerToken.IsCancellationRequested)
        {
            return exception is OperationCanceledException ? null : new OperationCanceledException("The call was cancelled.", exception, _callerToken);
        }

        if (_deadline?.IsCancellationRequested == true)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        return exception switch
        {
            HttpProtocolException { ErrorCode: 0x8 } => new RpcException(StatusCode.Cancelled, "The server cancelled the call (HTTP/2 RST_STREAM CANCEL)."),
            HttpProtocolException http => new RpcException(StatusCode.Internal, $"HTTP/2 error {http.ErrorCode}: {http.Message}"),
            HttpRequestException http => new RpcException(StatusCode.Unavailable, $"Cannot reach {_uri.GetLeftPart(UriPartial.Authority)}: {http.Message}"),
            IOException io => new RpcException(StatusCode.Unavailable, $"The connection failed: {io.Message}"),
            _ => null,
        };
    }

    private static StatusCode StatusOfHttp(HttpStatusCode statusCode) => statusCode switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    private static string? FirstValue(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static IEnumerable<(string Name, string Value)> Flatten(HttpHeaders headers) =>
        headers.SelectMany(h => h.Value.Select(v => (h.Key, v)));
}
