using V2AStream.Client;
using V2AStream.Soak;
using V2AStream.Testing;

namespace V2AStream.Tests.Soak;

public sealed class MediaPacedStreamTests
{
    [Fact]
    public async Task ReadAsync_VariableBitrate_OneStepOfMediaPerRead()
    {
        // Packets at 0, 0.1, 0.2 and 0.3 s; the one at 0.2 s is big.
        var index = new MediaByteIndex([(0.0, 100L), (0.1, 200L), (0.2, 1000L), (0.3, 1100L)]);
        using var paced = new MediaPacedStream(new MemoryStream(new byte[1100]), index, new ScriptedTimeProvider(), stepSeconds: 0.1);
        var buffer = new byte[4096];
        var reads = new List<int>();
        int read;
        while ((read = await paced.ReadAsync(buffer)) > 0)
        {
            reads.Add(read);
        }

        Assert.Equal([100, 100, 800, 100], reads);
    }

    [Fact]
    public void SecondsAtByte_EachByte_TheFirstFrameNeedingIt()
    {
        var index = new MediaByteIndex([(0.0, 100L), (0.08, 300L), (0.04, 400L), (0.12, 500L)]);

        Assert.Equal(0.0, index.SecondsAtByte(0));
        Assert.Equal(0.0, index.SecondsAtByte(99));
        Assert.Equal(0.04, index.SecondsAtByte(100));
        Assert.Equal(0.04, index.SecondsAtByte(399));
        Assert.Equal(0.12, index.SecondsAtByte(450));
    }
}
