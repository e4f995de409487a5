using V2AStream.Protos.V1;

namespace V2AStream.Tests.Daemon;

/// <summary>
/// How a call ended, as its user sees it and whatever the transport's types: "OK" or the status's name
/// ("InvalidArgument"...), its detail, every response that came before the end, and how long the call took.
/// </summary>
internal sealed record CallOutcome(string Status, string Detail, IReadOnlyList<GenerateResponse> Responses, TimeSpan Elapsed)
{
    public StreamSummary? Summary => Responses.Count > 0 && Responses[^1].EventCase == GenerateResponse.EventOneofCase.Summary ? Responses[^1].Summary : null;

    /// <summary>Audio samples received (per channel, 16-bit mono as <see cref="DaemonCalls.Config"/> asks).</summary>
    public long SamplesReceived => Responses.Where(r => r.EventCase == GenerateResponse.EventOneofCase.Audio).Sum(r => (long)r.Audio.Data.Length / 2);
}
