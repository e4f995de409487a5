using V2AStream.Cli;

namespace V2AStream.Tests.Cli;

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.InvokeAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Writes a float32 C-order .npy file of the given rows.</summary>
    public static void WriteNpy(string path, float[][] rows)
    {
        var shape = rows.Length == 1 ? $"({rows[0].Length},)" : $"({rows.Length}, {rows[0].Length})";
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(System.Text.Encoding.Latin1.GetBytes(header));
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                stream.Write(BitConverter.GetBytes(value));
            }
        }
    }

    public static float[] Vector(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }
}
