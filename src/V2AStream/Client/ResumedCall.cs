using V2AStream.Protos.V1;

namespace V2AStream.Client;

/// <summary>One call of a stream that may be resumed: its responses, and where its media time 0 sits on the stream's clock (the first call's).</summary>
internal sealed record ResumedCall(IAsyncEnumerable<GenerateResponse> Responses, double OffsetSeconds);
