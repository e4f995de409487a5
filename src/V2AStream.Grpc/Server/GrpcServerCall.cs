using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using V2AStream.Grpc.Framing;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Server;

/// <summary>
/// The transport side of one call: reads request messages, writes responses, and ends the call with
/// its status exactly once. Writes and completion are serialised, so a deadline can end the call
/// while the handler is still running without the two interleaving on the wire.
/// </summary>
internal sealed class GrpcServerCall : IDisposable
{
    // CancelAfter takes at most uint.MaxValue - 1 milliseconds (about 49 days); longer is no deadline.
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private static readonly TimeSpan MinTimerDelay = TimeSpan.FromMilliseconds(1);

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _callCancellation;
    private readonly CancellationTokenSource? _deadlineTimer;
    private readonly CancellationTokenRegistration _deadlineRegistration;
    private readonly TaskCompletionSource _deadlineReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GrpcFrameReadOptions _readOptions;
    private volatile bool _deadlineExceeded;
    private bool _responseStarted;
    private bool _completed;

    public GrpcServerCall(HttpContext httpContext, string method, TimeSpan? timeout, string? requestEncoding, int? maxReceiveMessageSize)
    {
        HttpContext = httpContext;
        _readOptions = new GrpcFrameReadOptions(maxReceiveMessageSize, requestEncoding);
        _callCancellation = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
        var deadline = DateTime.MaxValue;
        if (timeout is { } delay && delay <= MaxTimerDelay)
        {
            deadline = DateTime.UtcNow + delay;
            _deadlineTimer = new CancellationTokenSource();
            _deadlineRegistration = _deadlineTimer.Token.Register(OnDeadline);
            if (delay < MinTimerDelay)
            {
                // Below the timer's resolution the deadline has passed by the time the call starts.
                _deadlineTimer.Cancel();
            }
            else
            {
                _deadlineTimer.CancelAfter(delay);
            }
        }

        var requestHeaders = new Metadata();
        MetadataHeaders.AddTo(requestHeaders, httpContext.Request.Headers.SelectMany(h => h.Value.Select(v => (h.Key, v ?? string.Empty))));
        Context = new ServerCallContext(this, method, FormatPeer(httpContext), deadline, requestHeaders, _callCancellation.Token);
    }

    public HttpContext HttpContext { get; }

    public ServerCallContext Context { get; }

    public CancellationToken CancellationToken => _callCancellation.Token;

    /// <summary>Completes when the deadline passes; never when there is none.</summary>
    public Task DeadlineReached => _deadlineReached.Task;

    public bool DeadlineExceeded => _deadlineExceeded;

    public bool ClientAborted => HttpContext.RequestAborted.IsCancellationRequested;

    /// <summary>The next request message, or null at the end of the request stream.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        using var linked = Link(cancellationToken);
        var token = linked?.Token ?? CancellationToken;
        try
        {
            return await GrpcFrameReader.ReadMessageAsync(HttpContext.Request.BodyReader, parser, _readOptions, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException && token.IsCancellationRequested)
        {
            // Kestrel reports a reset stream as an I/O error: to the handler it is cancellation.
            throw new OperationCanceledException("The call was cancelled while reading the request.", ex, token);
        }
    }

    /// <summary>The request stream as it arrives; reading is lazy, so an unread stream stalls the client.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>(MessageParser<T> parser, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IMessage<T>
    {
        while (await ReadMessageAsync(parser, cancellationToken).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>Reads the one request message of a unary or server-streaming call.</summary>
    public async Task<T> ReadSingleMessageAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var message = await ReadMessageAsync(parser, CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "The request ended without a message: this method takes exactly one.");
        if (await ReadMessageAsync(parser, CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(StatusCode.Internal, "The request has more than one message: this method takes exactly one.");
        }

        return message;
    }

    public async Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        using var linked = Link(cancellationToken);
        var token = linked?.Token ?? CancellationToken;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            StartResponse();
            GrpcFrameWriter.WriteMessage(HttpContext.Response.BodyWriter, message);
            if (flush)
            {
                await HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
            }

            // A flush may not report an aborted request (aspnetcore#40788).
            token.ThrowIfCancellationRequested();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task WriteResponseHeadersAsync(CancellationToken cancellationToken)
    {
        using var linked = Link(cancellationToken);
        var token = linked?.Token ?? CancellationToken;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            if (_responseStarted)
            {
                throw new InvalidOperationException("Response headers were already sent: set ResponseHeaders before the first message.");
            }

            StartResponse();
            await HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends the call with a status: in trailers after a response was started, otherwise "trailers-only"
    /// (the status in the response headers). Only the first completion counts; nothing is written
    /// when the client already reset the call.
    /// </summary>
    public async Task<bool> CompleteAsync(StatusCode statusCode, string detail, Metadata? extraTrailers)
    {
        await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            if (ClientAborted)
            {
                return true;
            }

            var response = HttpContext.Response;
            if (!_responseStarted && !response.HasStarted)
            {
                StartResponse();
                response.Headers[GrpcProtocol.StatusHeader] = ((int)statusCode).ToString(CultureInfo.InvariantCulture);
                if (detail.Length > 0)
                {
                    response.Headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(detail);
                }

                foreach (var entry in TrailersOf(extraTrailers))
                {
                    response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
                }

                return true;
            }

            response.AppendTrailer(GrpcProtocol.StatusHeader, ((int)statusCode).ToString(CultureInfo.InvariantCulture));
            if (detail.Length > 0)
            {
                response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcStatusMessage.Encode(detail));
            }

            foreach (var entry in TrailersOf(extraTrailers))
            {
                response.AppendTrailer(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }

            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the call with DEADLINE_EXCEEDED now and sends it, whatever the handler is doing.</summary>
    public async Task CompleteWithDeadlineExceededAsync()
    {
        if (await CompleteAsync(StatusCode.DeadlineExceeded, "Deadline Exceeded", null).ConfigureAwait(false) && !ClientAborted)
        {
            await HttpContext.Response.CompleteAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _deadlineRegistration.Dispose();
        _deadlineTimer?.Dispose();
        _callCancellation.Dispose();
        _writeLock.Dispose();
    }

    private void OnDeadline()
    {
        // Flag first: the handler's OperationCanceledException must read as a deadline, not a client cancel.
        _deadlineExceeded = true;
        _deadlineReached.TrySetResult();
        try
        {
            _callCancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended as the deadline fired.
        }
    }

    private IEnumerable<MetadataEntry> TrailersOf(Metadata? extraTrailers) =>
        extraTrailers is null ? Context.ResponseTrailers : Context.ResponseTrailers.Concat(extraTrailers);

    private void StartResponse()
    {
        if (_responseStarted)
        {
            return;
        }

        _responseStarted = true;
        var response = HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.AcceptEncodingValue;
        foreach (var entry in Context.ResponseHeaders)
        {
            response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }
    }

    private void ThrowIfCompleted()
    {
        if (!_completed)
        {
            return;
        }

        if (_deadlineExceeded)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded: the call already ended.");
        }

        throw new InvalidOperationException("The call already ended: nothing more can be written.");
    }

    private CancellationTokenSource? Link(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled && cancellationToken != CancellationToken
            ? CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, cancellationToken)
            : null;

    private static string FormatPeer(HttpContext httpContext)
    {
        var connection = httpContext.Connection;
        if (connection.RemoteIpAddress is not { } address)
        {
            return "unknown";
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"ipv6:[{address}]:{connection.RemotePort}"
            : $"ipv4:{address}:{connection.RemotePort}";
    }
}
