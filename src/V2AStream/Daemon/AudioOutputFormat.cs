using V2AStream.Protos.V1;

namespace V2AStream.Daemon;

/// <summary>The audio a client asked for: encoding, rate (16000, 44100 or 48000 Hz), channels (1 or 2), chunk length.</summary>
internal sealed record AudioOutputFormat(AudioEncoding Encoding, int SampleRate, int Channels, int ChunkMilliseconds);
