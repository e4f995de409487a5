using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using V2AStream.Core.Embedding;

namespace V2AStream.Core.Tests.Embedding;

public sealed class NpyArrayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("v2a-npy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriteAsync_Shape2x3_WritesNumPyVersion1LayoutByteForByte()
    {
        var array = new NpyArray(2, 3, [1, 2, 3, 4, 5, -0.5f]);
        using var stream = new MemoryStream();

        await array.WriteAsync(stream, CancellationToken.None);

        var bytes = stream.ToArray();
        Assert.Equal(128 + 24, bytes.Length);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        Assert.Equal(118, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        var header = Encoding.Latin1.GetString(bytes, 10, 118);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".PadRight(117) + "\n", header);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(128)));
        Assert.Equal(-0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(128 + 20)));
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(0, 512)]
    [InlineData(1, 1)]
    [InlineData(100, 1280)]
    public async Task ReadAsync_WhatWriteAsyncWrote_SameArray(int rows, int columns)
    {
        var random = new Random(rows + columns);
        var data = Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var path = Path.Combine(_folder, "x.npy");

        await new NpyArray(rows, columns, data).WriteFileAsync(path, CancellationToken.None);
        var read = await NpyArray.ReadFileAsync(path, CancellationToken.None);

        Assert.Equal((rows, columns), (read.Rows, read.Columns));
        Assert.Equal(data, read.Data);
        Assert.Equal(0, (new FileInfo(path).Length - (rows * columns * 4)) % 64);
    }

    [Fact]
    public async Task ReadAsync_Version2BigEndianHeader_ReadsValues()
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(payload, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(payload.AsSpan(4), -2f);

        var array = await ReadAsync(Npy(2, "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }", payload));

        Assert.Equal([1.5f, -2f], array.Data);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", NpyFormatError.UnsupportedDtype, "astype(numpy.float32)")]
    [InlineData("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }", NpyFormatError.UnsupportedDtype, "'<i4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", NpyFormatError.FortranOrder, "ascontiguousarray")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyFormatError.NotTwoDimensional, "shape (2,)")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), }", NpyFormatError.NotTwoDimensional, "2-D")]
    [InlineData("{'descr': '<f4', 'shape': (1, 2), }", NpyFormatError.BadHeader, "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", NpyFormatError.Truncated, "8 of the 12")]
    public async Task ReadAsync_UnsupportedContent_ThrowsWithReason(string header, NpyFormatError reason, string expected)
    {
        var error = await Assert.ThrowsAsync<NpyFormatException>(() => ReadAsync(Npy(1, header, new byte[8])));

        Assert.Equal(reason, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NotNpy_ThrowsNotNpy()
    {
        var error = await Assert.ThrowsAsync<NpyFormatException>(() => ReadAsync(Encoding.ASCII.GetBytes("PK\x03\x04 this is a zip")));

        Assert.Equal(NpyFormatError.NotNpy, error.Reason);
    }

    [Fact]
    public async Task ReadAsync_Version4_ThrowsUnsupportedVersion()
    {
        var bytes = Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", new byte[8]);
        bytes[6] = 4;

        var error = await Assert.ThrowsAsync<NpyFormatException>(() => ReadAsync(bytes));

        Assert.Equal(NpyFormatError.UnsupportedVersion, error.Reason);
    }

    [Fact]
    public async Task ReadAsync_EndsInsideHeader_ThrowsTruncated()
    {
        var bytes = Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", []);

        var error = await Assert.ThrowsAsync<NpyFormatException>(() => ReadAsync(bytes[..20]));

        Assert.Equal(NpyFormatError.Truncated, error.Reason);
    }

    [PythonNumpyFact]
    public async Task ReadAsync_FileSavedByNumPy_SameValues()
    {
        var path = Path.Combine(_folder, "numpy.npy");
        await RunPythonAsync($"import numpy as np; np.save(r'{path}', (np.arange(12, dtype=np.float32).reshape(3, 4) / 8 - 0.25))");

        var array = await NpyArray.ReadFileAsync(path, CancellationToken.None);

        Assert.Equal((3, 4), (array.Rows, array.Columns));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (i / 8f) - 0.25f), array.Data);
    }

    [PythonNumpyFact]
    public async Task WriteAsync_LoadedByNumPy_SameShapeAndValuesAndHeader()
    {
        var path = Path.Combine(_folder, "ours.npy");
        var reference = Path.Combine(_folder, "reference.npy");
        await new NpyArray(2, 3, [0.5f, 1, 2, 3, 4, 5]).WriteFileAsync(path, CancellationToken.None);

        var output = await RunPythonAsync(
            $"import numpy as np; a = np.load(r'{path}'); print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], a.tolist()); np.save(r'{reference}', a)");

        Assert.Equal("float32 (2, 3) True [[0.5, 1.0, 2.0], [3.0, 4.0, 5.0]]", output.Trim());
        Assert.Equal(await File.ReadAllBytesAsync(reference), await File.ReadAllBytesAsync(path));
    }

    private static Task<NpyArray> ReadAsync(byte[] bytes) => NpyArray.ReadAsync(new MemoryStream(bytes), CancellationToken.None);

    private static byte[] Npy(int major, string dictionary, byte[] payload)
    {
        var lengthSize = major == 1 ? 2 : 4;
        var text = Encoding.Latin1.GetBytes(dictionary + "\n");
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        var length = new byte[lengthSize];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)text.Length);
        }

        bytes.AddRange(length);
        bytes.AddRange(text);
        bytes.AddRange(payload);
        return [.. bytes];
    }

    private static async Task<string> RunPythonAsync(string code)
    {
        var startInfo = new ProcessStartInfo(PythonNumpyFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(code);
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python failed: {await error}");
        return await output;
    }
}
