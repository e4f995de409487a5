namespace V2AStream.Hosting;

/// <summary>The daemon's settings are wrong; the message says which and how to fix them.</summary>
internal sealed class DaemonConfigurationException(string message) : Exception(message);
