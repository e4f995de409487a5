using System.Buffers.Binary;
using V2AStream.Core.Mapping;

namespace V2AStream.Core.Tests.Mapping;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("v2a-st-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_ThenRead_GivesTheTensorsShapesAndMetadata()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        float[] matrix = [1, -2.5f, 3, 4e-8f, float.MaxValue, -0f];

        SafetensorsWriter.Write(
            path,
            [new SafetensorsTensor("a.weight", matrix, [2, 3]), new SafetensorsTensor("a.bias", new float[] { 7, 8 }, [2])],
            new Dictionary<string, string> { ["labels"] = "[\"rain\"]", ["note"] = "ü" });
        var file = SafetensorsFile.Read(path);

        Assert.Equal(matrix, file.ReadFloats("a.weight", 2, 3));
        Assert.Equal(new float[] { 7, 8 }, file.ReadFloats("a.bias", 2));
        Assert.Equal("[\"rain\"]", file.Metadata["labels"]);
        Assert.Equal("ü", file.Metadata["note"]);
        Assert.Equal(new[] { "t.safetensors" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_HeaderIsPaddedTo8Bytes_AndTheDataFollowsIt()
    {
        var path = Path.Combine(_dir, "p.safetensors");

        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", new float[] { 1.5f }, [1])]);
        var bytes = File.ReadAllBytes(path);

        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 4, bytes.Length);
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + headerLength)));
    }

    [Fact]
    public void Write_ShapeDisagreesWithData_Throws_AndWritesNothing()
    {
        var path = Path.Combine(_dir, "bad.safetensors");

        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new SafetensorsTensor("x", new float[3], [2, 2])]));

        Assert.Empty(Directory.GetFiles(_dir));
    }
}
