using System.Net.Sockets;
using Grpc.Core;

namespace V2AStream.Client;

/// <summary>The one line a client prints for a call that ended with a status.</summary>
internal static class CallErrors
{
    /// <summary>
    /// A daemon that cannot be reached says so and how to start one; UNAUTHENTICATED also says how to send a token;
    /// any other status is given with the daemon's own message.
    /// </summary>
    public static string Describe(RpcException error, Uri server)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Unreachable(error) is { } why)
        {
            return $"cannot reach the daemon at {ServerAddress.Display(server)} ({why}): is 'v2a serve' running there?";
        }

        return error.StatusCode == StatusCode.Unauthenticated
            ? $"the daemon needs a token (--token-file, --token or {ClientToken.EnvironmentVariable}), or refused the one sent ({error.Status.Detail})"
            : $"the daemon ended the stream with {error.StatusCode}: {error.Status.Detail}";
    }

    /// <summary>
    /// The status and the daemon's message, for a caller that reports per call rather than to a user at a terminal (the
    /// relay's audio leg): UNAUTHENTICATED also says how to send a token.
    /// </summary>
    public static string StatusLine(RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.StatusCode == StatusCode.Unauthenticated
            ? $"{error.StatusCode}: the server needs a token (--token-file, --token or {ClientToken.EnvironmentVariable}), or refused the one sent ({error.Status.Detail})"
            : $"{error.StatusCode}: {error.Status.Detail}";
    }

    /// <summary>Why the connection could not be made (Grpc.Net.Client reports it as UNAVAILABLE with the socket error inside), or null when it was made.</summary>
    private static string? Unreachable(RpcException error)
    {
        if (error.StatusCode != StatusCode.Unavailable)
        {
            return null;
        }

        for (var inner = error.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route",
                    _ => socket.SocketErrorCode.ToString(),
                };
            }

            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError })
            {
                return "host not found";
            }
        }

        return null;
    }
}
