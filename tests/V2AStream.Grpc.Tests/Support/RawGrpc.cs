using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace V2AStream.Grpc.Tests.Support;

/// <summary>Hand-made gRPC requests, for what the client would not send (bad headers, HTTP/1.1) and to see the raw response.</summary>
internal static class RawGrpc
{
    public sealed record Response(HttpStatusCode StatusCode, HttpResponseHeaders Headers, HttpResponseHeaders Trailers, string? ContentType, byte[] Body)
    {
        public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.First() : null;

        public string? Trailer(string name) => Trailers.TryGetValues(name, out var values) ? values.First() : null;
    }

    public static byte[] Frame(IMessage message)
    {
        var bytes = message.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static async Task<Response> PostAsync(
        Uri address,
        string path,
        byte[] body,
        Version? version = null,
        string contentType = "application/grpc",
        IEnumerable<(string Name, string Value)>? headers = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var responseBody = await response.Content.ReadAsByteArrayAsync();
        return new Response(response.StatusCode, response.Headers, response.TrailingHeaders, response.Content.Headers.ContentType?.MediaType, responseBody);
    }
}
