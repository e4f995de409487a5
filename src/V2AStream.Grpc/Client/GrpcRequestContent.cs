using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using V2AStream.Grpc.Framing;
using V2AStream.Grpc.Protocol;

namespace V2AStream.Grpc.Client;

/// <summary>
/// The request body: messages framed as they come from the caller's sequence. Each write waits
/// for HTTP/2 flow control, so a server that stops reading stops the sequence being pulled.
/// </summary>
internal sealed class GrpcRequestContent<TRequest> : HttpContent
    where TRequest : IMessage<TRequest>
{
    private readonly IAsyncEnumerable<TRequest> _requests;
    private readonly bool _compress;
    private readonly CancellationToken _callToken;

    public GrpcRequestContent(IAsyncEnumerable<TRequest> requests, bool compress, CancellationToken callToken)
    {
        _requests = requests;
        _compress = compress;
        _callToken = callToken;
        Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callToken);
        // Flush first so the headers go out before the first message exists (runtime#96223).
        await stream.FlushAsync(linked.Token).ConfigureAwait(false);
        var requests = _requests.GetAsyncEnumerator(linked.Token);
        await using (requests.ConfigureAwait(false))
        {
            while (await MoveNextAsync(requests, linked.Token).ConfigureAwait(false))
            {
                var frame = GrpcFrameWriter.ToFrame(requests.Current, _compress);
                await stream.WriteAsync(frame, linked.Token).ConfigureAwait(false);
                await stream.FlushAsync(linked.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What the caller's request sequence threw (not the transport): the call rethrows it as it is.</summary>
    public Exception? RequestSourceException { get; private set; }

    private async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<TRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            return await requests.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            RequestSourceException = ex;
            throw;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
