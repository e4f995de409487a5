using System.Runtime.CompilerServices;
using Grpc.Core;

namespace V2AStream.Client;

/// <summary>Reads a call's response stream the way .NET callers expect cancellation to look.</summary>
internal static class CallResponses
{
    /// <summary>
    /// The responses as they arrive. A call ended because <paramref name="cancellationToken"/> was cancelled throws
    /// <see cref="OperationCanceledException"/> rather than Grpc.Net.Client's RpcException CANCELLED; a deadline stays
    /// RpcException DEADLINE_EXCEEDED, and every status the server sends stays an RpcException.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadAsync<T>(IAsyncStreamReader<T> responses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await responses.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(ex.Status.Detail, ex, cancellationToken);
            }

            if (!more)
            {
                yield break;
            }

            yield return responses.Current;
        }
    }
}
