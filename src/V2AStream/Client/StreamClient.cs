using System.Runtime.CompilerServices;
using Google.Protobuf;
using V2AStream.Grpc;
using V2AStream.Grpc.Client;
using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>
/// The client side of Generate: sends the config, then the input's bytes (paced at 1x when asked), and yields
/// every response as it arrives, so audio can be written while the video is still being sent.
/// GenerateFromSource is used instead when the input is a URL the server should open itself.
/// </summary>
internal sealed class StreamClient(StreamClientOptions options, TimeProvider time)
{
    public const string GeneratePath = "/v2astream.v1.V2AStream/Generate";
    public const string GenerateFromSourcePath = "/v2astream.v1.V2AStream/GenerateFromSource";

    /// <summary>Streams <paramref name="input"/> to the server; the stream is read to its end (or until the server stops reading).</summary>
    public async IAsyncEnumerable<GenerateResponse> GenerateAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var client = new GrpcClient(options.Server);
        await foreach (var response in client.DuplexStreamingAsync<GenerateRequest, GenerateResponse>(GeneratePath, RequestsAsync(input, cancellationToken), CallOptions(), cancellationToken).ConfigureAwait(false))
        {
            yield return response;
        }
    }

    /// <summary>Asks the server to open <paramref name="source"/> (a path under its allowed roots, or a URL with an allowed scheme).</summary>
    public async IAsyncEnumerable<GenerateResponse> GenerateFromSourceAsync(string source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var client = new GrpcClient(options.Server);
        var request = new SourceRequest { Source = source, Config = options.Config };
        await foreach (var response in client.ServerStreamingAsync<SourceRequest, GenerateResponse>(GenerateFromSourcePath, request, CallOptions(), cancellationToken).ConfigureAwait(false))
        {
            yield return response;
        }
    }

    private CallOptions CallOptions()
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(options.Token))
        {
            headers.Add("authorization", $"Bearer {options.Token}");
        }

        return new CallOptions { Headers = headers };
    }

    private async IAsyncEnumerable<GenerateRequest> RequestsAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new GenerateRequest { Config = options.Config };
        var bytesPerSecond = options.PaceOver is { } duration && input.CanSeek && duration > TimeSpan.Zero
            ? input.Length / duration.TotalSeconds
            : (double?)null;
        var started = time.GetTimestamp();
        long sent = 0;
        var buffer = new byte[options.ChunkBytes];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (bytesPerSecond is { } rate)
            {
                // Send no faster than the media plays: the bytes of second s go out at second s.
                var due = TimeSpan.FromSeconds(sent / rate) - time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, cancellationToken).ConfigureAwait(false);
                }
            }

            sent += read;
            options.MediaSent?.Invoke(sent);
            yield return new GenerateRequest { Media = ByteString.CopyFrom(buffer, 0, read) };
        }
    }
}
