using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Google.Protobuf;
using Grpc.Core;
using V2AStream.Protos.V1;
using V2AStreamApi = V2AStream.Protos.V1.V2AStream;

namespace V2AStream.Client;

/// <summary>
/// The client side of Generate: sends the config, then the input's bytes (paced at 1x when asked), and yields
/// every response as it arrives, so audio can be written while the video is still being sent.
/// GenerateFromSource is used instead when the input is a URL the server should open itself.
/// A call the server ends with a status throws <see cref="RpcException"/>; a failure reading the input ends the call
/// and is thrown itself; cancelling throws <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class StreamClient(StreamClientOptions options, TimeProvider time)
{
    /// <summary>Streams <paramref name="input"/> to the server; the stream is read to its end (or until the server stops reading).</summary>
    public async IAsyncEnumerable<GenerateResponse> GenerateAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var channel = DaemonChannel.Create(options.Server, options.TrustedCertificate);
        using var callCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = new V2AStreamApi.V2AStreamClient(channel).Generate(Headers(), cancellationToken: callCancellation.Token);
        ExceptionDispatchInfo? inputFailure = null;
        async Task SendAsync()
        {
            try
            {
                await SendRequestsAsync(call.RequestStream, input, callCancellation.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Reading the input failed: that, not the cancelled call, is what the caller must hear.
                inputFailure = ExceptionDispatchInfo.Capture(ex);
                await callCancellation.CancelAsync().ConfigureAwait(false);
            }
        }

        var sending = SendAsync();
        var responses = CallResponses.ReadAsync(call.ResponseStream, callCancellation.Token).GetAsyncEnumerator(callCancellation.Token);
        await using (responses.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await responses.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (inputFailure is not null)
                {
                    inputFailure.Throw();
                    throw;
                }

                if (!more)
                {
                    break;
                }

                yield return responses.Current;
            }
        }

        await callCancellation.CancelAsync().ConfigureAwait(false);
        await sending.ConfigureAwait(false);
    }

    /// <summary>Asks the server to open <paramref name="source"/> (a path under its allowed roots, or a URL with an allowed scheme).</summary>
    public async IAsyncEnumerable<GenerateResponse> GenerateFromSourceAsync(string source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var channel = DaemonChannel.Create(options.Server, options.TrustedCertificate);
        var request = new SourceRequest { Source = source, Config = options.Config };
        using var call = new V2AStreamApi.V2AStreamClient(channel).GenerateFromSource(request, Headers(), cancellationToken: cancellationToken);
        await foreach (var response in CallResponses.ReadAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false))
        {
            yield return response;
        }
    }

    /// <summary>Asks the daemon for its versions, model sets and limits (GetInfo): also the quick way to find out whether it can be reached.</summary>
    public async Task<ServerInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        using var channel = DaemonChannel.Create(options.Server);
        return await new V2AStreamApi.V2AStreamClient(channel).GetInfoAsync(new GetInfoRequest(), Headers(), DateTime.UtcNow.AddSeconds(10), cancellationToken).ConfigureAwait(false);
    }

    private Metadata Headers()
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(options.Token))
        {
            headers.Add("authorization", $"Bearer {options.Token}");
        }

        return headers;
    }

    /// <summary>Writes the config and the input's bytes, then ends the request; stops quietly when the call has ended (its status is the response stream's).</summary>
    private async Task SendRequestsAsync(IClientStreamWriter<GenerateRequest> requests, Stream input, CancellationToken cancellationToken)
    {
        await foreach (var request in RequestsAsync(input, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await requests.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsCallOver(ex))
            {
                return;
            }
        }

        try
        {
            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCallOver(ex))
        {
        }
    }

    /// <summary>A write failed because the call has ended (or was reset): its status, if any, comes with the responses.</summary>
    private static bool IsCallOver(Exception exception) =>
        exception is RpcException or InvalidOperationException or OperationCanceledException or IOException or HttpRequestException;

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
