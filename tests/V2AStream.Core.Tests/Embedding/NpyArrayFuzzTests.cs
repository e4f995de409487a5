using System.Text;
using V2AStream.Core.Embedding;
using V2AStream.Core.Tests.Fuzzing;

namespace V2AStream.Core.Tests.Embedding;

/// <summary>Whatever the bytes, <see cref="NpyArray"/> gives an array or an <see cref="NpyFormatException"/>, and allocates only for data that is there.</summary>
public sealed class NpyArrayFuzzTests
{
    [Theory]
    [InlineData(46340, NpyFormatError.TooLarge)]
    [InlineData(20000, NpyFormatError.Truncated)]
    public async Task ReadAsync_128BytesDeclaringAHugeSquare_RefusedBeforeAllocating(int side, NpyFormatError reason)
    {
        // 46340 x 46340 floats are 8 GiB, over what this reads at all; 20000 x 20000 are 1.6 GB the file does not hold.
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({side}, {side}), }}".PadRight(128 - 10 - 1) + "\n";
        var bytes = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8) }.Concat(Encoding.Latin1.GetBytes(header)).ToArray();
        Assert.Equal(128, bytes.Length);

        var fromFile = await Assert.ThrowsAsync<NpyFormatException>(() => NpyArray.ReadAsync(new MemoryStream(bytes), CancellationToken.None));
        var fromPipe = await Assert.ThrowsAsync<NpyFormatException>(() => NpyArray.ReadAsync(new UnseekableStream(bytes), CancellationToken.None));

        Assert.Equal(reason, fromFile.Reason);
        Assert.Equal(reason, fromPipe.Reason);
    }

    [Fact]
    public async Task ReadAsync_MutantsOfAValidFile_OnlyArraysOrNpyFormatExceptions()
    {
        using var seedStream = new MemoryStream();
        await new NpyArray(2, 3, [1, 2, 3, 4, 5, 6]).WriteAsync(seedStream, CancellationToken.None);
        var alphabet = "0123456789(),'\":{} -<>=fiu48TrueFalse\n\x00\xFF"u8.ToArray();

        var refused = Mutants.Check<NpyFormatException>(Mutants.Of(seedStream.ToArray(), alphabet), ReadAsFileAndAsPipe);

        Assert.InRange(refused, Mutants.CasesPerParser / 10, Mutants.CasesPerParser);
    }

    /// <summary>Both ways: a file (its length known) and a pipe (not), as a vector and as rows. In-memory reads finish synchronously.</summary>
    private static void ReadAsFileAndAsPipe(byte[] input)
    {
        NpyArray.ReadAsync(new MemoryStream(input), CancellationToken.None, vectorAsRow: input.Length % 2 == 0).GetAwaiter().GetResult();
        NpyArray.ReadAsync(new UnseekableStream(input), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>A stream whose length cannot be known in advance, like a pipe.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
