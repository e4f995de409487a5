namespace V2AStream.Core.Mapping;

/// <summary>One float32 tensor to write with <see cref="SafetensorsWriter"/>: its name, row-major values and shape.</summary>
internal sealed record SafetensorsTensor(string Name, ReadOnlyMemory<float> Data, long[] Shape);
