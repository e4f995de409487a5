namespace V2AStream.Relay;

/// <summary>Why <c>v2a relay</c> stopped when it is neither the source's nor the publisher's failure (a refusal by the daemon).</summary>
internal sealed class RelayException(string message, Exception? innerException = null) : Exception(message, innerException);
