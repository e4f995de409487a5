using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;

namespace V2AStream.Tests.Grpc;

/// <summary>
/// A hostile gRPC request, as no gRPC library would send one: over HTTP/2 with HttpClient, a message whose 5-byte prefix
/// announces <c>announcedBytes</c>, of which only <c>sentBytes</c> follow, and then the request is held open (never
/// ended) until disposed. <see cref="Response"/> is what the server answered, and <see cref="AnsweredAfter"/> how soon.
/// </summary>
internal sealed class HeldGrpcRequest : IDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _release;

    private HeldGrpcRequest(HttpClient client, CancellationTokenSource release, HttpResponseMessage response, TimeSpan answeredAfter)
    {
        _client = client;
        _release = release;
        Response = response;
        AnsweredAfter = answeredAfter;
    }

    public HttpResponseMessage Response { get; }

    public TimeSpan AnsweredAfter { get; }

    /// <summary>The grpc-status the server put in its response headers (a trailers-only answer), or null.</summary>
    public string? HeaderStatus => Response.Headers.TryGetValues("grpc-status", out var values) ? values.Single() : null;

    /// <summary>Sends the request on a connection of its own and waits up to <paramref name="timeout"/> for the response headers.</summary>
    public static async Task<HeldGrpcRequest> SendAsync(Uri server, string path, int announcedBytes, int sentBytes, TimeSpan timeout, string? authorization = null)
    {
        var client = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        var release = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new HeldContent(announcedBytes, sentBytes, release.Token),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", authorization);
        }

        var watch = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(timeout);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        return new HeldGrpcRequest(client, release, response, watch.Elapsed);
    }

    public void Dispose()
    {
        _release.Cancel();
        Response.Dispose();
        _client.Dispose();
        _release.Dispose();
    }

    private sealed class HeldContent(int announcedBytes, int sentBytes, CancellationToken release) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(release, cancellationToken);
            try
            {
                var prefix = new byte[5];
                BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)announcedBytes);
                await stream.WriteAsync(prefix, stop.Token);

                // Flushed, so the request's headers go out before any answer is awaited.
                await stream.FlushAsync(stop.Token);
                var chunk = new byte[16 * 1024];
                for (var left = sentBytes; left > 0; left -= chunk.Length)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), stop.Token);
                }

                await stream.FlushAsync(stop.Token);
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
                // Released by the test, or the server reset the stream after answering.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
